package searchbulkexporter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// searchNode is a fake _bulk endpoint that behaves like a search node: it
// stores documents by _id, answers 409 for an id it already holds and 201 for
// a new one. A test can set a status for the whole request (status), or for
// single items (item: return 0 for the node's own answer). It records each
// request body and its Authorization header.
type searchNode struct {
	mu             sync.Mutex
	bodies         [][]byte
	authorizations []string
	contentType    string
	status         int
	item           func(attempt, n int) int
	stored         map[string][]byte
}

// bulkLine is one action and document pair of a request body.
type bulkLine struct {
	index, id string
	source    []byte
}

func parseBulk(t testing.TB, body []byte) []bulkLine {
	t.Helper()
	lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
	if len(lines)%2 != 0 {
		t.Fatalf("odd number of lines in bulk body: %q", body)
	}
	var out []bulkLine
	for i := 0; i < len(lines); i += 2 {
		var a bulkAction
		if err := json.Unmarshal(lines[i], &a); err != nil {
			t.Fatalf("action line is not JSON: %q", lines[i])
		}
		out = append(out, bulkLine{index: a.Create.Index, id: a.Create.ID, source: lines[i+1]})
	}
	return out
}

// itemErrors are what a search node puts in an item's error object.
var itemErrors = map[int]string{
	400: `{"type":"mapper_parsing_exception","reason":"failed to parse field [attributes.order.total] of type [long]"}`,
	403: `{"type":"security_exception","reason":"action [indices:data/write/bulk[s]] is unauthorized for user [o4o]"}`,
	409: `{"type":"version_conflict_engine_exception","reason":"document already exists"}`,
	429: `{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"}`,
}

func (n *searchNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n.mu.Lock()
	defer n.mu.Unlock()
	attempt := len(n.bodies)
	n.bodies = append(n.bodies, body)
	n.authorizations = append(n.authorizations, r.Header.Get("Authorization"))
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
	if n.stored == nil {
		n.stored = map[string][]byte{}
	}
	var items []map[string]bulkItemResult
	errorsSeen := false
	lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
	for i := 0; i+1 < len(lines); i += 2 {
		var a bulkAction
		_ = json.Unmarshal(lines[i], &a)
		st := 0
		if n.item != nil {
			st = n.item(attempt, i/2)
		}
		if st == 0 {
			if _, ok := n.stored[a.Create.ID]; ok {
				st = http.StatusConflict
			} else {
				n.stored[a.Create.ID] = lines[i+1]
				st = http.StatusCreated
			}
		}
		res := bulkItemResult{Status: st}
		if st >= 300 {
			errorsSeen = true
			res.Error = json.RawMessage(itemErrors[st])
			if itemErrors[st] == "" {
				res.Error = json.RawMessage(`{"type":"x","reason":"y"}`)
			}
		}
		items = append(items, map[string]bulkItemResult{"create": res})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": errorsSeen, "items": items})
}

func (n *searchNode) storedCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.stored)
}

// always answers st for every item on every attempt.
func always(st int) func(int, int) int { return func(int, int) int { return st } }

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

func TestResponseClassification(t *testing.T) {
	cases := []struct {
		name                 string
		status, itemStatus   int
		wantErr, wantPermErr bool
	}{
		{name: "all created", status: 200},
		{name: "already indexed by an earlier attempt", status: 200, itemStatus: 409},
		{name: "mapping conflict is dropped, as a failure", status: 200, itemStatus: 400, wantErr: true, wantPermErr: true},
		{name: "item overload is retried", status: 200, itemStatus: 429, wantErr: true},
		{name: "item server error is retried", status: 200, itemStatus: 500, wantErr: true},
		{name: "item refused for privileges is retried", status: 200, itemStatus: 403, wantErr: true},
		{name: "credentials refused: retried", status: 401, wantErr: true},
		{name: "privileges missing: retried", status: 403, wantErr: true},
		{name: "node overloaded", status: 429, wantErr: true},
		{name: "node error", status: 503, wantErr: true},
		{name: "bad request", status: 400, wantErr: true, wantPermErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			node := &searchNode{status: tc.status}
			if tc.itemStatus != 0 {
				node.item = always(tc.itemStatus)
			}
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
