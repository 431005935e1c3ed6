{{/*
Names, labels and the derived settings both services share.
*/}}

{{- define "rxon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rxon.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "rxon.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Context: dict "root" $ "component" "orchestrator|worker" ["pool" name]. */}}
{{- define "rxon.labels" -}}
helm.sh/chart: {{ include "rxon.chart" .root }}
{{ include "rxon.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: rxon
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels: stable for the life of a release (Deployments cannot change them). */}}
{{- define "rxon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rxon.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- with .pool }}
rxon.io/worker-pool: {{ . }}
{{- end }}
{{- end -}}

{{- define "rxon.orchestrator.fullname" -}}
{{- printf "%s-orchestrator" (include "rxon.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rxon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "rxon.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "rxon.image" -}}
{{- printf "%s:%s" .image.repository (toString (default .root.Chart.AppVersion .image.tag)) -}}
{{- end -}}

{{/* The authentication mode in effect: embedded mode always uses static tokens. */}}
{{- define "rxon.authMode" -}}
{{- if .Values.embedded.enabled -}}static{{- else -}}{{ .Values.auth.mode }}{{- end -}}
{{- end -}}

{{/* "true" when static tokens are in use (static or mixed mode). */}}
{{- define "rxon.staticTokens" -}}
{{- if has (include "rxon.authMode" .) (list "static" "mixed") -}}true{{- end -}}
{{- end -}}

{{/* "true" when OIDC is in use (oidc or mixed mode). */}}
{{- define "rxon.oidc" -}}
{{- if has (include "rxon.authMode" .) (list "oidc" "mixed") -}}true{{- end -}}
{{- end -}}

{{/* "true" when blobs go to S3 (never in embedded mode). */}}
{{- define "rxon.s3" -}}
{{- if and .Values.s3.enabled (not .Values.embedded.enabled) -}}true{{- end -}}
{{- end -}}

{{- define "rxon.tokensSecretName" -}}
{{- default (printf "%s-tokens" (include "rxon.fullname" .)) .Values.auth.tokens.existingSecret -}}
{{- end -}}

{{/*
The Secret key the console's session signing key is derived from (name and key, as YAML): one every
orchestrator pod shares, so a session started on one pod is valid on all. console.existingSecret
when named, else the default client's token (static, mixed) or the orchestrator's Keycloak client
secret (oidc).
*/}}
{{- define "rxon.consoleSessionSecretRef" -}}
{{- if .Values.console.existingSecret -}}
name: {{ .Values.console.existingSecret }}
key: {{ .Values.console.sessionSecretKey }}
{{- else if include "rxon.staticTokens" . -}}
name: {{ include "rxon.tokensSecretName" . }}
key: {{ .Values.auth.tokens.clientTokenKey }}
{{- else -}}
name: {{ .Values.auth.oidc.existingSecret }}
key: {{ .Values.auth.oidc.clientSecretKey }}
{{- end -}}
{{- end -}}

{{- define "rxon.oidc.tokenUrl" -}}
{{- default (printf "%s/protocol/openid-connect/token" (trimSuffix "/" .Values.auth.oidc.authServerUrl)) .Values.auth.oidc.tokenUrl -}}
{{- end -}}

{{- define "rxon.database.query" -}}
{{- with .Values.database.parameters }}?{{ . }}{{ end -}}
{{- end -}}

{{- define "rxon.database.reactiveUrl" -}}
{{- $db := .Values.database -}}
{{- default (printf "postgresql://%s:%v/%s%s" $db.host $db.port $db.name (include "rxon.database.query" .)) $db.reactiveUrl -}}
{{- end -}}

{{- define "rxon.database.jdbcUrl" -}}
{{- $db := .Values.database -}}
{{- default (printf "jdbc:postgresql://%s:%v/%s%s" $db.host $db.port $db.name (include "rxon.database.query" .)) $db.jdbcUrl -}}
{{- end -}}

{{/* Environment entries that read the S3 key pair from its Secret (both services); none without a Secret. */}}
{{- define "rxon.s3.secretEnv" -}}
{{- with .Values.s3.existingSecret -}}
- name: RXON_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.s3.accessKeyKey }}
- name: RXON_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.s3.secretKeyKey }}
{{- end -}}
{{- end -}}

{{/* The non-secret S3 settings (both services' ConfigMaps); unset values keep the services' own defaults. */}}
{{- define "rxon.s3.config" -}}
{{- with .Values.s3.endpoint }}
RXON_S3_ENDPOINT: {{ . | quote }}
{{- end }}
RXON_S3_REGION: {{ .Values.s3.region | quote }}
RXON_S3_BUCKET: {{ .Values.s3.bucket | quote }}
{{- if ne (toString .Values.s3.pathStyle) "" }}
RXON_S3_PATH_STYLE: {{ .Values.s3.pathStyle | toString | quote }}
{{- end }}
{{- end -}}

{{/*
Deep merge for worker pools: the values of "override" win over "base", including false, 0 and ""
(sprig's mergeOverwrite skips those, so a pool could not switch off what the default pool enables).
Returns YAML; callers use fromYaml.
*/}}
{{- define "rxon.merge" -}}
{{- $base := deepCopy .base -}}
{{- range $key, $value := .override -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $base $key)) -}}
{{- $_ := set $base $key (include "rxon.merge" (dict "base" (get $base $key) "override" $value) | fromYaml) -}}
{{- else -}}
{{- $_ := set $base $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $base -}}
{{- end -}}

{{/*
Every worker pool to render, as YAML: {pools: [...]}. The default pool ("worker") has an empty
name; each workerPools entry is merged over the worker block. Each pool gets "fullname" (object
name) and "poolName" (label value).
*/}}
{{- define "rxon.workerPools" -}}
{{- $fullname := include "rxon.fullname" . -}}
{{- $pools := list -}}
{{- if .Values.worker.enabled -}}
{{- $pool := include "rxon.merge" (dict "base" .Values.worker "override" (dict)) | fromYaml -}}
{{- $_ := set $pool "fullname" (printf "%s-worker" $fullname | trunc 63 | trimSuffix "-") -}}
{{- $_ := set $pool "poolName" "default" -}}
{{- $pools = append $pools $pool -}}
{{- end -}}
{{- range .Values.workerPools -}}
{{- $pool := include "rxon.merge" (dict "base" $.Values.worker "override" .) | fromYaml -}}
{{- /* A volume source is replaced, never merged: two sources in one volume are invalid. */ -}}
{{- if hasKey . "dataVolume" -}}
{{- $_ := set $pool "dataVolume" .dataVolume -}}
{{- end -}}
{{- if ne (toString (default true (get . "enabled"))) "false" -}}
{{- $_ := set $pool "fullname" (printf "%s-worker-%s" $fullname .name | trunc 63 | trimSuffix "-") -}}
{{- $_ := set $pool "poolName" .name -}}
{{- $pools = append $pools $pool -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "pools" $pools) -}}
{{- end -}}

{{/* The grace period a worker pod needs: preStop + drain + result flush + 10 s of margin, or the pool's own (checked). */}}
{{- define "rxon.worker.terminationGracePeriod" -}}
{{- $needed := add (int .preStopSleepSeconds) (int .drainGracePeriodSeconds) (int .resultFlushSeconds) -}}
{{- if toString .terminationGracePeriodSeconds -}}
{{- if le (int .terminationGracePeriodSeconds) $needed -}}
{{- fail (printf "worker pool %q: terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds + drainGracePeriodSeconds + resultFlushSeconds (%d), or running tasks are killed mid-drain" .poolName .terminationGracePeriodSeconds $needed) -}}
{{- end -}}
{{- int .terminationGracePeriodSeconds -}}
{{- else -}}
{{- add $needed 10 -}}
{{- end -}}
{{- end -}}

{{/* The KEDA query for a pool: queued + running tasks of its task types. */}}
{{- define "rxon.worker.kedaQuery" -}}
{{- if .keda.query -}}
{{- .keda.query -}}
{{- else -}}
{{- $types := .keda.taskTypes | default list -}}
{{- if not $types -}}
{{- fail (printf "worker pool %q: keda.taskTypes (or keda.query) is required when keda.enabled" .poolName) -}}
{{- end -}}
{{- $selector := "" -}}
{{- if eq (len $types) 1 -}}
{{- $selector = printf "type=%q" (first $types) -}}
{{- else -}}
{{- $selector = printf "type=~%q" (join "|" $types) -}}
{{- end -}}
{{- /*
Every orchestrator replica reports the cluster-wide count read from the database, so the series of
one type are deduplicated with max by (type) before the types are summed; "or vector(0)" keeps the
sum defined while one of the two gauges has no series yet.
*/ -}}
{{- $queued := printf "sum(max by (type) (rxon_tasks_queued{%s}))" $selector -}}
{{- $running := printf "sum(max by (type) (rxon_tasks_running{%s}))" $selector -}}
{{- printf "(%s or vector(0)) + (%s or vector(0))" $queued $running -}}
{{- end -}}
{{- end -}}

{{/* The ConfigMap data of one worker pool (also hashed into its pods, so a change rolls only that pool). */}}
{{- define "rxon.worker.configData" -}}
{{- $root := .root -}}
{{- with .pool -}}
RXON_ORCHESTRATOR_URL: {{ .orchestratorUrl | default (printf "ws://%s:%v" (include "rxon.orchestrator.fullname" $root) $root.Values.orchestrator.service.port) | quote }}
RXON_WORKER_HTTP_PORT: {{ .httpPort | int | toString | quote }}
{{- with .orchestrators }}
RXON_ORCHESTRATORS: {{ toJson . | quote }}
{{- end }}
{{- if or .orchestrators (ne (.orchestratorsMode | default "failover") "failover") }}
RXON_ORCHESTRATORS_MODE: {{ .orchestratorsMode | default "failover" | quote }}
{{- end }}
RXON_DRAIN_GRACE_PERIOD: {{ printf "%ds" (int .drainGracePeriodSeconds) | quote }}
RXON_WORKER_DRAIN_RESULT_FLUSH_TIMEOUT: {{ printf "%ds" (int .resultFlushSeconds) | quote }}
RXON_BLOB_DIR: /data/blobs
RXON_TASK_DIR: /data/tasks
{{- with .concurrency }}
RXON_WORKER_CONCURRENCY: {{ int . | toString | quote }}
{{- end }}
{{- with .tags }}
RXON_WORKER_TAGS: {{ join "," . | quote }}
{{- end }}
{{- with .devices }}
RXON_WORKER_DEVICES: {{ toJson . | quote }}
{{- end }}
{{- if include "rxon.oidc" $root }}
RXON_OIDC_TOKEN_URL: {{ include "rxon.oidc.tokenUrl" $root | quote }}
RXON_OIDC_CLIENT_ID: {{ $root.Values.auth.oidc.workerClientId | quote }}
{{- end }}
{{- if include "rxon.s3" $root }}
{{ include "rxon.s3.config" $root }}
{{- end }}
{{- with $root.Values.tracing.otlpEndpoint }}
RXON_OTLP_ENDPOINT: {{ . | quote }}
RXON_OTLP_PROTOCOL: {{ $root.Values.tracing.otlpProtocol | quote }}
{{- end }}
{{- range $name, $value := .env }}
{{ $name }}: {{ toString $value | quote }}
{{- end }}
{{- end -}}
{{- end -}}
