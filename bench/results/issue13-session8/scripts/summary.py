import json,glob,statistics as st,sys
base=sys.argv[1] if len(sys.argv)>1 else '/tmp/ab/results'
rows={}
for f in sorted(glob.glob(base+'/*/driver-*.json')):
    n=f.split('/')[-2].split('-')[0]
    for r in json.load(open(f))['driver']['runs']:
        if r['run']!=1: continue
        rows.setdefault((r['mode'],n),[]).append(r)
keys=['jobs_per_s','e2e_p50_ms','e2e_p99_ms','orch_dispatch_p99_ms','orch_dispatch_max_ms','cpu_ms_per_job_jvm','cpu_ms_per_job_jvm_jit','cpu_ms_per_job_jvm_event_loops','cpu_ms_per_job_postgres','cpu_ms_per_job_server']
for k,v in sorted(rows.items()):
    print(k, len(v))
    for x in keys: print('   %-32s %8.2f  %s' % (x, st.median([float(r[x] or 0) for r in v]), [r[x] for r in v]))
