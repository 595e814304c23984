package searchbulkexporter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func observeLogs(e *bulkExporter) *observer.ObservedLogs {
	core, logs := observer.New(zapcore.InfoLevel)
	e.settings.Logger = zap.New(core)
	return logs
}

func fiveRecords() []string { return []string{"a", "b", "c", "d", "e"} }

func TestRejectedRecordIsAPermanentFailureWithItsReason(t *testing.T) {
	node := &searchNode{item: func(_, n int) int {
		if n == 1 {
			return 400
		}
		return 0
	}}
	e := newTestExporter(t, node, nil)
	logs := observeLogs(e)
	err := e.pushLogs(context.Background(), sampleLogs())
	if !consumererror.IsPermanent(err) {
		t.Fatalf("err = %v, want a permanent error", err)
	}
	for _, want := range []string{"rejected 1 of 2 log records", "mapper_parsing_exception", "attributes.order.total"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if node.storedCount() != 1 {
		t.Errorf("stored %d, want the other record stored", node.storedCount())
	}
	entries := logs.FilterMessageSnippet("rejected log records").All()
	if len(entries) != 1 || entries[0].Level != zapcore.ErrorLevel {
		t.Fatalf("want one error log about the rejection, got %v", logs.All())
	}
	if got := entries[0].ContextMap()["rejected"]; got != int64(1) {
		t.Errorf("logged rejected = %v", got)
	}
}

func TestOverloadedAndRejectedItemsInOneResponse(t *testing.T) {
	// Attempt 0: record 0 refused for overload, record 1 for its content,
	// record 2 stored. Attempt 1 (the retry): record 0 stored, record 1 refused
	// again, record 2 answered 409 (already there).
	node := &searchNode{item: func(attempt, n int) int {
		switch {
		case n == 1:
			return 400
		case attempt == 0 && n == 0:
			return 429
		}
		return 0
	}}
	e := newTestExporter(t, node, nil)
	ld := identicalRecords(3, "x")
	err := e.pushLogs(context.Background(), ld)
	if err == nil || consumererror.IsPermanent(err) {
		t.Fatalf("first attempt: err = %v, want retryable", err)
	}
	if !strings.Contains(err.Error(), "1 of 3 log records for overload") || !strings.Contains(err.Error(), "1 more rejected") {
		t.Errorf("first attempt error = %q", err)
	}
	err = e.pushLogs(context.Background(), ld)
	if !consumererror.IsPermanent(err) || !strings.Contains(err.Error(), "rejected 1 of 3") {
		t.Fatalf("retry: err = %v, want permanent for the one rejected record", err)
	}
	if node.storedCount() != 2 {
		t.Errorf("stored %d, want 2", node.storedCount())
	}
}

// newPipelineExporter builds the exporter as the collector does (exporterhelper
// around pushLogs), with its own telemetry, no queue so that ConsumeLogs
// returns the final outcome, and quick retries.
func newPipelineExporter(t *testing.T, node *searchNode, retry bool) (exporter.Logs, *componenttest.Telemetry) {
	t.Helper()
	srv := httptest.NewServer(node)
	t.Cleanup(srv.Close)
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint = srv.URL
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.RetryConfig.Enabled = retry
	cfg.RetryConfig.InitialInterval = 10 * time.Millisecond
	cfg.RetryConfig.MaxInterval = 20 * time.Millisecond
	cfg.RetryConfig.MaxElapsedTime = 5 * time.Second
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	set := exportertest.NewNopSettings(Type)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	exp, err := NewFactory().CreateLogs(context.Background(), set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp, tel
}

func counterValue(t *testing.T, tel *componenttest.Telemetry, name string) int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return 0
	}
	var total int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		total += dp.Value
	}
	return total
}

func TestRejectedRecordsCountInTheSendFailedMetric(t *testing.T) {
	node := &searchNode{item: func(_, n int) int {
		if n == 0 {
			return 400
		}
		return 0
	}}
	exp, tel := newPipelineExporter(t, node, true)
	err := exp.ConsumeLogs(context.Background(), sampleLogs())
	if !consumererror.IsPermanent(err) {
		t.Fatalf("err = %v, want permanent", err)
	}
	if len(node.bodies) != 1 {
		t.Errorf("sent %d times, want once: a rejection is not retried", len(node.bodies))
	}
	// exporterhelper counts a failed request's records, not the failed subset:
	// the whole batch of 2 (1 rejected, 1 stored) shows up as failed.
	if got := counterValue(t, tel, "otelcol_exporter_send_failed_log_records"); got != 2 {
		t.Errorf("otelcol_exporter_send_failed_log_records = %d, want 2", got)
	}
}

func TestOverloadedRecordsAreRetriedUntilStoredOnce(t *testing.T) {
	// Records 1 and 3 of 5 are refused for overload twice, then accepted.
	node := &searchNode{item: func(attempt, n int) int {
		if attempt < 2 && (n == 1 || n == 3) {
			return 429
		}
		return 0
	}}
	exp, tel := newPipelineExporter(t, node, true)
	ld := identicalRecords(0, "")
	sl := ld.ResourceLogs().At(0).ScopeLogs().At(0)
	for _, body := range fiveRecords() {
		sl.LogRecords().AppendEmpty().Body().SetStr(body) // no timestamps at all
	}
	if err := exp.ConsumeLogs(context.Background(), ld); err != nil {
		t.Fatal(err)
	}
	if len(node.bodies) != 3 {
		t.Errorf("sent %d times, want 3", len(node.bodies))
	}
	if node.storedCount() != 5 {
		t.Errorf("stored %d documents, want 5: ids must not change between attempts", node.storedCount())
	}
	first, last := idsOf(t, node.bodies[0]), idsOf(t, node.bodies[2])
	for i := range first {
		if first[i] != last[i] {
			t.Errorf("record %d: id %s then %s", i, first[i], last[i])
		}
	}
	if got := counterValue(t, tel, "otelcol_exporter_sent_log_records"); got != 5 {
		t.Errorf("otelcol_exporter_sent_log_records = %d, want 5", got)
	}
}

func TestRefusedCredentialsAreRetriedAndLoud(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			node := &searchNode{status: status}
			e := newTestExporter(t, node, nil)
			logs := observeLogs(e)
			err := e.pushLogs(context.Background(), sampleLogs())
			if err == nil || consumererror.IsPermanent(err) {
				t.Fatalf("err = %v, want retryable: the records stay queued", err)
			}
			entries := logs.FilterLevelExact(zapcore.ErrorLevel).All()
			if len(entries) != 1 {
				t.Fatalf("want one error log, got %v", logs.All())
			}
			want := map[int]string{401: "check the search node credentials", 403: "lacks privileges"}[status]
			if !strings.Contains(entries[0].Message, want) || !strings.Contains(entries[0].Message, "stay queued") {
				t.Errorf("log message %q lacks guidance %q", entries[0].Message, want)
			}
		})
	}
}

func TestRefusedItemPrivilegesAreRetriedAndLoud(t *testing.T) {
	node := &searchNode{item: always(403)}
	e := newTestExporter(t, node, nil)
	logs := observeLogs(e)
	err := e.pushLogs(context.Background(), sampleLogs())
	if err == nil || consumererror.IsPermanent(err) {
		t.Fatalf("err = %v, want retryable", err)
	}
	if n := logs.FilterMessageSnippet("lacks privileges").Len(); n != 1 {
		t.Errorf("want one error log with guidance, got %v", logs.All())
	}
}

func TestRefusedCredentialsKeepRecordsInThePipeline(t *testing.T) {
	// Through exporterhelper's retry: 401 first, then the credentials are fixed.
	defer func(d time.Duration) { authRetryDelay = d }(authRetryDelay)
	authRetryDelay = 50 * time.Millisecond
	node := &searchNode{status: http.StatusUnauthorized}
	exp, tel := newPipelineExporter(t, node, true)
	done := make(chan error, 1)
	go func() { done <- exp.ConsumeLogs(context.Background(), sampleLogs()) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		node.mu.Lock()
		attempts := len(node.bodies)
		if attempts >= 1 {
			node.status = 0
		}
		node.mu.Unlock()
		if attempts >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("err = %v, want delivery after the retry", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no retry within 30 s")
	}
	if node.storedCount() != 2 {
		t.Errorf("stored %d, want 2", node.storedCount())
	}
	if got := counterValue(t, tel, "otelcol_exporter_send_failed_log_records"); got != 0 {
		t.Errorf("send_failed = %d, want 0", got)
	}
}
