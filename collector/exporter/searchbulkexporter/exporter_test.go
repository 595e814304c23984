package searchbulkexporter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// searchNode is a fake _bulk endpoint that records request bodies and answers
// with the status and per-item statuses a test sets.
type searchNode struct {
	mu          sync.Mutex
	bodies      [][]byte
	status      int
	itemStatus  int
	contentType string
}

func (n *searchNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.bodies = append(n.bodies, body)
	n.contentType = r.Header.Get("Content-Type")
	if r.URL.Path != "/_bulk" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if n.status != 0 && n.status != http.StatusOK {
		w.WriteHeader(n.status)
		_, _ = w.Write([]byte(`{"error":"test"}`))
		return
	}
	items := []map[string]bulkItemResult{}
	lines := bytes.Count(body, []byte("\n")) / 2
	for i := 0; i < lines; i++ {
		st := 201
		if n.itemStatus != 0 {
			st = n.itemStatus
		}
		items = append(items, map[string]bulkItemResult{"create": {Status: st, Error: json.RawMessage(`{"type":"x"}`)}})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": n.itemStatus >= 300, "items": items})
}

func newTestExporter(t *testing.T, node *searchNode, mutate func(*Config)) *bulkExporter {
	t.Helper()
	srv := httptest.NewServer(node)
	t.Cleanup(srv.Close)
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint = srv.URL
	if mutate != nil {
		mutate(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config invalid: %v", err)
	}
	e := newBulkExporter(cfg, exportertest.NewNopSettings(Type))
	e.now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	if err := e.start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	return e
}

func sampleLogs() plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "checkout")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("orders")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 26, 23, 59, 0, 0, time.UTC)))
	lr.SetSeverityText("INFO")
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	lr.Body().SetStr("order placed")
	lr.Attributes().PutStr("http.route", "/orders/:id")
	lr.SetTraceID(pcommon.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	lr.SetSpanID(pcommon.SpanID{1, 2, 3, 4, 5, 6, 7, 8})
	second := sl.LogRecords().AppendEmpty() // no timestamps: indexed at "now"
	second.Body().SetStr("no time")
	return ld
}

func TestBulkBodyHasOneCreateActionAndDocumentPerRecord(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, func(c *Config) { c.LogsIndexDateLayout = "2006.01.02" })
	if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
		t.Fatal(err)
	}
	if node.contentType != "application/x-ndjson" {
		t.Errorf("content type = %q", node.contentType)
	}
	sc := bufio.NewScanner(bytes.NewReader(node.bodies[0]))
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4", len(lines))
	}
	create := lines[0]["create"].(map[string]any)
	if create["_index"] != "o4o-logs-2026.11.26" || create["_id"] == "" {
		t.Errorf("action = %v", create)
	}
	doc := lines[1]
	want := map[string]any{
		"@timestamp":    "2026-11-26T23:59:00Z",
		"severity_text": "INFO",
		"body":          "order placed",
		"trace_id":      "0102030405060708090a0b0c0d0e0f10",
		"span_id":       "0102030405060708",
	}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("doc[%q] = %v, want %v", k, doc[k], v)
		}
	}
	if doc["attributes"].(map[string]any)["http.route"] != "/orders/:id" {
		t.Errorf("attributes = %v", doc["attributes"])
	}
	if doc["resource"].(map[string]any)["attributes"].(map[string]any)["service.name"] != "checkout" {
		t.Errorf("resource = %v", doc["resource"])
	}
	if lines[2]["create"].(map[string]any)["_index"] != "o4o-logs-2026.11.27" {
		t.Errorf("record without timestamp indexed as %v", lines[2])
	}
}

func TestSameRecordGetsSameDocumentID(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, nil)
	for i := 0; i < 2; i++ {
		if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
			t.Fatal(err)
		}
	}
	first := strings.SplitN(string(node.bodies[0]), "\n", 2)[0]
	second := strings.SplitN(string(node.bodies[1]), "\n", 2)[0]
	if first != second {
		t.Errorf("ids differ: %s vs %s", first, second)
	}
}

func TestResponseClassification(t *testing.T) {
	cases := []struct {
		name                 string
		status, itemStatus   int
		wantErr, wantPermErr bool
	}{
		{name: "all created", status: 200},
		{name: "already indexed by an earlier attempt", status: 200, itemStatus: 409},
		{name: "mapping conflict is dropped", status: 200, itemStatus: 400},
		{name: "item overload is retried", status: 200, itemStatus: 429, wantErr: true},
		{name: "node overloaded", status: 429, wantErr: true},
		{name: "node error", status: 503, wantErr: true},
		{name: "bad request", status: 400, wantErr: true, wantPermErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			node := &searchNode{status: tc.status, itemStatus: tc.itemStatus}
			e := newTestExporter(t, node, nil)
			err := e.pushLogs(context.Background(), sampleLogs())
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if consumererror.IsPermanent(err) != tc.wantPermErr {
				t.Errorf("permanent = %v, want %v (%v)", consumererror.IsPermanent(err), tc.wantPermErr, err)
			}
		})
	}
}

func TestNodeDownIsRetryable(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, nil)
	e.bulkURL = "http://127.0.0.1:1/_bulk"
	err := e.pushLogs(context.Background(), sampleLogs())
	if err == nil || consumererror.IsPermanent(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
}
