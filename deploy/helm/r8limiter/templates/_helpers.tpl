{{/* Chart name, shortened to the 63 characters Kubernetes allows in names. */}}
{{- define "r8limiter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name for every object of the release. */}}
{{- define "r8limiter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "r8limiter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "r8limiter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "r8limiter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "r8limiter.labels" -}}
helm.sh/chart: {{ include "r8limiter.chart" . }}
{{ include "r8limiter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "r8limiter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "r8limiter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the Redis URL and the admin token: the user's own, or the chart's. */}}
{{- define "r8limiter.secretName" -}}
{{- .Values.existingSecret | default (include "r8limiter.fullname" .) }}
{{- end }}

{{/* Whether the chart creates its own Secret. */}}
{{- define "r8limiter.createSecret" -}}
{{- if and (not .Values.existingSecret) (or .Values.redis.url .Values.admin.token) }}true{{ end }}
{{- end }}

{{/* Whether the admin token env var is set: from the user's Secret (key optional) or the chart's. */}}
{{- define "r8limiter.hasAdminToken" -}}
{{- if or .Values.existingSecret .Values.admin.token }}true{{ end }}
{{- end }}

{{/* Whether more than one pod may run, which is when a disruption budget means something. */}}
{{- define "r8limiter.multiReplica" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
The Spring configuration file: r8limiter.* from the values; extraConfig is merged below the chart's own keys
so that it cannot silently change the backend or the policies. The actuator moves to the management port, kept off
the public Service; the app's admin token guards its ratelimit endpoint there as on the traffic port.
*/}}
{{- define "r8limiter.applicationYaml" -}}
{{- $limiter := deepCopy .Values.extraConfig }}
{{- $_ := set $limiter "backend" .Values.backend }}
{{- $_ = set $limiter "failure-mode" .Values.failureMode }}
{{- $_ = set $limiter "policies" .Values.policies }}
{{- $management := dict "server" (dict "port" .Values.management.port) }}
{{- $_ = set $management "endpoints" (dict "web" (dict "exposure" (dict "include" "health,prometheus,ratelimit"))) }}
{{- $_ = set $management "endpoint" (dict "health" (dict "probes" (dict "enabled" true))) }}
{{- toYaml (dict "r8limiter" $limiter "management" $management) }}
{{- end }}
