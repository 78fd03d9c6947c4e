{{/* Chart name, overridable. */}}
{{- define "ffmpeg-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; component suffixes keep it under 63 characters. */}}
{{- define "ffmpeg-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ffmpeg-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of a component. Call with (dict "ctx" $ "component" "operator"). */}}
{{- define "ffmpeg-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ffmpeg-operator.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Standard labels of a component. Call with (dict "ctx" $ "component" "operator"). */}}
{{- define "ffmpeg-operator.labels" -}}
helm.sh/chart: {{ include "ffmpeg-operator.chart" .ctx }}
{{ include "ffmpeg-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: ffmpeg-operator
{{- end }}

{{/* <registry>/<repository>:<tag>. Call with (dict "ctx" $ "image" .Values.operator.image). */}}
{{- define "ffmpeg-operator.image" -}}
{{- printf "%s/%s:%s" .ctx.Values.image.registry .image.repository (default .ctx.Values.image.tag .image.tag) }}
{{- end }}

{{- define "ffmpeg-operator.operatorServiceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (printf "%s-operator" (include "ffmpeg-operator.fullname" .)) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ffmpeg-operator.bridgeServiceAccountName" -}}
{{- if .Values.bridge.serviceAccount.create }}
{{- default (printf "%s-bridge" (include "ffmpeg-operator.fullname" .)) .Values.bridge.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.bridge.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The namespace the bridge creates its resources in: set, else the first watched, else ours. */}}
{{- define "ffmpeg-operator.bridgeNamespace" -}}
{{- if and .Values.bridge.namespace .Values.watchNamespaces (not (has .Values.bridge.namespace .Values.watchNamespaces)) }}
{{- fail (printf "bridge.namespace %s is not in watchNamespaces: the operator would never run its tasks" .Values.bridge.namespace) }}
{{- end }}
{{- if .Values.bridge.namespace }}
{{- .Values.bridge.namespace }}
{{- else if .Values.watchNamespaces }}
{{- first .Values.watchNamespaces }}
{{- else }}
{{- .Release.Namespace }}
{{- end }}
{{- end }}

{{/* "true" when the operator runs with leader election. */}}
{{- define "ffmpeg-operator.leaderElection" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.operator.replicas) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{- define "ffmpeg-operator.apiKeysSecretName" -}}
{{- default (printf "%s-api-keys" (include "ffmpeg-operator.fullname" .)) .Values.bridge.apiKeys.existingSecret }}
{{- end }}

{{- define "ffmpeg-operator.webhookSecretName" -}}
{{- default (printf "%s-webhook" (include "ffmpeg-operator.fullname" .)) .Values.webhooks.existingSecret }}
{{- end }}

{{/* Namespaces that get the worker NetworkPolicy. */}}
{{- define "ffmpeg-operator.workerNamespaces" -}}
{{- if .Values.worker.networkPolicy.namespaces }}
{{- join "," .Values.worker.networkPolicy.namespaces }}
{{- else if .Values.watchNamespaces }}
{{- join "," .Values.watchNamespaces }}
{{- else }}
{{- include "ffmpeg-operator.bridgeNamespace" . }}
{{- end }}
{{- end }}

{{/* "true" when the operator keeps warm workers (worker.warm.count above 0). */}}
{{- define "ffmpeg-operator.warmWorkers" -}}
{{- if lt (int .Values.worker.warm.count) 0 }}
{{- fail (printf "worker.warm.count must be 0 or more, got %v" .Values.worker.warm.count) }}
{{- end }}
{{- if gt (int .Values.worker.warm.count) 0 }}
{{- if lt (int .Values.worker.warm.idleSeconds) 60 }}
{{- fail (printf "worker.warm.idleSeconds must be at least 60 (the operator's minimum), got %v" .Values.worker.warm.idleSeconds) }}
{{- end }}true
{{- else }}false
{{- end }}
{{- end }}

{{/*
Namespaces that get warm workers: those of the worker NetworkPolicy, whose egress rule lets their
pods reach the order endpoint. The operator can only start Jobs in namespaces it watches.
*/}}
{{- define "ffmpeg-operator.warmNamespaces" -}}
{{- $namespaces := include "ffmpeg-operator.workerNamespaces" . }}
{{- if .Values.watchNamespaces }}
{{- range splitList "," $namespaces }}
{{- if not (has . $.Values.watchNamespaces) }}
{{- fail (printf "worker.networkPolicy.namespaces has %s, which is not in watchNamespaces: the operator cannot start warm workers there (or set worker.warm.count=0)" .) }}
{{- end }}
{{- end }}
{{- end }}
{{- $namespaces }}
{{- end }}

{{/* The operator's order endpoint as worker pods reach it: the orders Service's cluster DNS name. */}}
{{- define "ffmpeg-operator.warmOrdersUrl" -}}
{{- printf "http://%s-operator-orders.%s.svc:%d" (include "ffmpeg-operator.fullname" .) .Release.Namespace (int .Values.worker.warm.port) }}
{{- end }}

{{/* The pod's own namespace, from the downward API. */}}
{{- define "ffmpeg-operator.podNamespaceEnv" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}

{{/*
The most CPU and memory a task may ask for in its resources: the bridge refuses more (422) and
the operator fails a task written with more, so both must read the same values.
*/}}
{{- define "ffmpeg-operator.taskMaxResourcesEnv" -}}
- name: TASK_MAX_CPU
  value: {{ required "worker.maxResources.cpu is required" .Values.worker.maxResources.cpu | toString | quote }}
- name: TASK_MAX_MEMORY
  value: {{ required "worker.maxResources.memory is required" .Values.worker.maxResources.memory | toString | quote }}
- name: PARALLEL_MAX_SEGMENTS
  value: {{ required "parallel.maxSegments is required" .Values.parallel.maxSegments | toString | quote }}
{{- end }}

{{/* S3 settings, shared by the operator and the bridge. */}}
{{- define "ffmpeg-operator.s3Env" -}}
- name: S3_BUCKET
  value: {{ required "s3.bucket is required" .Values.s3.bucket | quote }}
- name: AWS_REGION
  value: {{ .Values.s3.region | quote }}
- name: S3_ENDPOINT_URL
  value: {{ .Values.s3.endpointUrl | quote }}
- name: S3_PATH_STYLE
  value: {{ .Values.s3.pathStyle | toString | quote }}
{{- if .Values.s3.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.secretAccessKeyKey }}
{{- end }}
{{- end }}

{{/* The API group of the custom resources. */}}
{{- define "ffmpeg-operator.apiGroup" -}}media.ffmpeg-operator.io{{- end }}
