{{/* The workload's name: the release's, unless fullnameOverride says otherwise. */}}
{{- define "o4o-otelcol.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "o4o-otelcol.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The headless Service the load-balancing tier resolves gateways through. */}}
{{- define "o4o-otelcol.headlessName" -}}
{{- printf "%s-headless" (include "o4o-otelcol.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "o4o-otelcol.selectorLabels" -}}
app.kubernetes.io/name: {{ include "o4o-otelcol.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ include "o4o-otelcol.tier" . }}
{{- end -}}

{{- define "o4o-otelcol.labels" -}}
{{ include "o4o-otelcol.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The tier, checked: a typo must not render a half-configured workload. */}}
{{- define "o4o-otelcol.tier" -}}
{{- if not (has .Values.tier (list "gateway" "loadbalancer" "agent")) -}}
{{- fail (printf "tier: got %q, expected gateway, loadbalancer or agent" (toString .Values.tier)) -}}
{{- end -}}
{{- .Values.tier -}}
{{- end -}}

{{- define "o4o-otelcol.statefulset" -}}
{{- if ne (include "o4o-otelcol.tier" .) "agent" }}true{{ end -}}
{{- end -}}

{{/* The config layers in merge order, as a JSON list. */}}
{{- define "o4o-otelcol.layers" -}}
{{- $byTier := dict
      "gateway" (list "base.yaml" "production.yaml" "sampling.yaml")
      "loadbalancer" (list "loadbalancer.yaml" "loadbalancer-dns.yaml")
      "agent" (list "agent.yaml") -}}
{{- default (get $byTier (include "o4o-otelcol.tier" .)) .Values.layers | toJson -}}
{{- end -}}

{{/* Where the ConfigMap is mounted; secrets get sibling directories. */}}
{{- define "o4o-otelcol.configDir" -}}/etc/o4o-otelcol/config{{- end -}}

{{/* The pod template shared by the StatefulSet and the DaemonSet. */}}
{{- define "o4o-otelcol.podTemplate" -}}
{{- $agent := eq (include "o4o-otelcol.tier" .) "agent" -}}
{{- range .Values.env }}
{{- if has .name (list "O4O_QUEUE_DIR" "O4O_OTLP_GRPC_ENDPOINT" "O4O_OTLP_HTTP_ENDPOINT" "O4O_HEALTH_CHECK_ENDPOINT" "O4O_COLLECTOR_TELEMETRY_HOST" "O4O_COLLECTOR_TELEMETRY_PORT" "O4O_HOST_ROOT") }}
{{- fail (printf "env: %s is set by the chart (from queue, ports or hostRoot); remove it from env" .name) }}
{{- end }}
{{- end -}}
metadata:
  labels:
    {{- include "o4o-otelcol.labels" . | nindent 4 }}
  annotations:
    # Self-telemetry, found by Prometheus and by the gateways' pod discovery.
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ .Values.ports.telemetry | quote }}
    prometheus.io/path: /metrics
    # A changed layer rolls the pods.
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "o4o-otelcol.fullname" . }}
  automountServiceAccountToken: {{ .Values.rbac.create }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  containers:
    - name: o4o-otelcol
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command:
        - o4o-otelcol
        {{- range (include "o4o-otelcol.layers" . | fromJsonArray) }}
        - --config={{ include "o4o-otelcol.configDir" $ }}/{{ . }}
        {{- end }}
      env:
        - name: O4O_QUEUE_DIR
          value: {{ .Values.queue.mountPath | quote }}
        - name: O4O_OTLP_GRPC_ENDPOINT
          value: "0.0.0.0:{{ .Values.ports.otlpGrpc }}"
        - name: O4O_OTLP_HTTP_ENDPOINT
          value: "0.0.0.0:{{ .Values.ports.otlpHttp }}"
        - name: O4O_HEALTH_CHECK_ENDPOINT
          value: "0.0.0.0:{{ .Values.ports.healthCheck }}"
        # Bound on the pod IP, so Prometheus can scrape it.
        - name: O4O_COLLECTOR_TELEMETRY_HOST
          value: 0.0.0.0
        - name: O4O_COLLECTOR_TELEMETRY_PORT
          value: {{ .Values.ports.telemetry | quote }}
        {{- if $agent }}
        - name: O4O_HOST_ROOT
          value: {{ .Values.hostRoot | quote }}
        {{- end }}
        {{- with .Values.env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: otlp-grpc
          containerPort: {{ .Values.ports.otlpGrpc }}
          protocol: TCP
          {{- if .Values.hostPorts }}
          hostPort: {{ .Values.ports.otlpGrpc }}
          {{- end }}
        - name: otlp-http
          containerPort: {{ .Values.ports.otlpHttp }}
          protocol: TCP
          {{- if .Values.hostPorts }}
          hostPort: {{ .Values.ports.otlpHttp }}
          {{- end }}
        - name: telemetry
          containerPort: {{ .Values.ports.telemetry }}
          protocol: TCP
        - name: health
          containerPort: {{ .Values.ports.healthCheck }}
          protocol: TCP
      # health_check answers plain HTTP, without TLS or a token.
      livenessProbe:
        httpGet:
          path: /
          port: health
        periodSeconds: 10
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /
          port: health
        periodSeconds: 5
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ include "o4o-otelcol.configDir" . }}
          readOnly: true
        {{- range .Values.secrets }}
        - name: {{ .name }}
          mountPath: {{ .mountPath }}
          readOnly: true
        {{- end }}
        - name: queue
          mountPath: {{ .Values.queue.mountPath }}
        {{- if $agent }}
        - name: hostfs
          mountPath: {{ .Values.hostRoot }}
          readOnly: true
          mountPropagation: HostToContainer
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "o4o-otelcol.fullname" . }}
    {{- range .Values.secrets }}
    - name: {{ .name }}
      secret:
        secretName: {{ .secretName }}
    {{- end }}
    {{- if $agent }}
    # The queue survives the agent's restarts and upgrades: it lives on the node.
    - name: queue
      hostPath:
        path: {{ .Values.queue.hostPath }}
        type: DirectoryOrCreate
    # The node's filesystems, read-only, for the host metrics.
    - name: hostfs
      hostPath:
        path: /
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
