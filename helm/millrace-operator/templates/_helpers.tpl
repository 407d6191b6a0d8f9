{{/* The release's full name, at most 63 characters. */}}
{{- define "millrace-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "millrace-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "millrace-operator.labels" -}}
{{ include "millrace-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "millrace-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "millrace-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "millrace-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
What the operator does to StreamingApps and their children, in a namespace or everywhere.
deletecollection on pods: deleting an app deletes its pods by label selector in one request.
streamingapps/finalizers: setting blockOwnerDeletion on the children's owner references
needs it where the OwnerReferencesPermissionEnforcement admission plugin runs.
*/}}
{{- define "millrace-operator.appRules" -}}
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete, deletecollection]
- apiGroups: [""]
  resources: [services, configmaps]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [millrace.dev]
  resources: [streamingapps]
  verbs: [get, list, watch, update, patch]
- apiGroups: [millrace.dev]
  resources: [streamingapps/status]
  verbs: [get, update, patch]
- apiGroups: [millrace.dev]
  resources: [streamingapps/finalizers]
  verbs: [update]
{{- end -}}
