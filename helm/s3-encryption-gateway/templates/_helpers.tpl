{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "s3eg.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart, unless the release name already has the chart's. */}}
{{- define "s3eg.fullname" -}}
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

{{- define "s3eg.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "s3eg.labels" -}}
helm.sh/chart: {{ include "s3eg.chart" . }}
{{ include "s3eg.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: s3-encryption-gateway
{{- end }}

{{- define "s3eg.selectorLabels" -}}
app.kubernetes.io/name: {{ include "s3eg.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "s3eg.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "s3eg.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the secret settings: the user's own, or the one this chart makes. */}}
{{- define "s3eg.secretName" -}}
{{- default (include "s3eg.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
Secret settings: environment name -> value from values.yaml. With an existing Secret every name
is referenced (optional: true), since the chart cannot see which keys it has.
*/}}
{{- define "s3eg.secretValues" -}}
BACKEND_ACCESS_KEY: {{ .Values.secrets.backend.accessKey | quote }}
BACKEND_SECRET_KEY: {{ .Values.secrets.backend.secretKey | quote }}
ENCRYPTION_PASSWORD: {{ .Values.secrets.encryption.password | quote }}
AUTH_ACCESS_KEY: {{ .Values.secrets.auth.accessKey | quote }}
AUTH_SECRET_KEY: {{ .Values.secrets.auth.secretKey | quote }}
{{- end }}

{{/* Names that must never be rendered into the ConfigMap. */}}
{{- define "s3eg.isSecretName" -}}
{{- if or (hasKey (include "s3eg.secretValues" . | fromYaml) .name) (regexMatch "(SECRET|PASSWORD|TOKEN|PRIVATE)" .name) -}}
true
{{- end -}}
{{- end }}

{{/* Settings the chart derives from its own values (KMS, TLS), merged under `config`. */}}
{{- define "s3eg.derivedConfig" -}}
{{- if .Values.kms.enabled }}
KEY_MANAGER_ENABLED: "true"
KEY_MANAGER_PROVIDER: {{ .Values.kms.provider | quote }}
COSMIAN_KMS_ENDPOINT: {{ required "kms.endpoint is required when kms.enabled" .Values.kms.endpoint | quote }}
COSMIAN_KMS_TIMEOUT: {{ .Values.kms.timeout | quote }}
COSMIAN_KMS_KEYS: {{ .Values.kms.keys | quote }}
COSMIAN_KMS_CLIENT_CERT: /etc/s3eg/kms/tls.crt
COSMIAN_KMS_CLIENT_KEY: /etc/s3eg/kms/tls.key
COSMIAN_KMS_CA_CERT: /etc/s3eg/kms/ca.crt
{{- end }}
{{- if .Values.tls.enabled }}
TLS_ENABLED: "true"
TLS_CERT_FILE: /etc/s3eg/tls/tls.crt
TLS_KEY_FILE: /etc/s3eg/tls/tls.key
{{- end }}
{{- end }}
