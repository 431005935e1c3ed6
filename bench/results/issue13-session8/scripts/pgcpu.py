# Samples CPU of every postgres process by role (title) until killed; prints totals (s) on SIGTERM.
import os, time, signal, sys, re
tick = os.sysconf('SC_CLK_TCK'); last = {}
def role(pid):
    try: t = open(f'/proc/{pid}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='replace')
    except Exception: return None
    if not t.startswith('postgres') and '/postgres' not in t.split(' ')[0]: return None
    m = re.match(r'postgres: (?:\S+ )?(autovacuum worker|autovacuum launcher|walwriter|checkpointer|background writer|logical replication launcher|stats collector|rxon rxon|\S+ \S+)', t)
    if not m: return 'postmaster'
    r = m.group(1)
    return 'backend' if ' ' in r and r.split()[0] in ('rxon',) else r
def sample():
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        r = role(p)
        if not r: continue
        try: f = open(f'/proc/{p}/stat').read().rsplit(')',1)[1].split()
        except Exception: continue
        last[p] = (r, int(f[11]) / tick, int(f[12]) / tick)
base = None
def done(*a):
    sample(); tot = {}
    for p,(r,u,s) in last.items():
        b = base.get(p,(r,0,0)); o = tot.get(r,(0,0)); tot[r] = (o[0] + u - b[1], o[1] + s - b[2])
    for r,(u,s) in sorted(tot.items(), key=lambda x:-x[1][0]-x[1][1]): print(f'{r:30s} user {u:8.2f} s  sys {s:8.2f} s')
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
sample(); base = dict(last)
while True: time.sleep(0.3); sample()
