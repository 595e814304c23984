package searchbulkexporter

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

func idsOf(t *testing.T, body []byte) []string {
	t.Helper()
	var ids []string
	for _, l := range parseBulk(t, body) {
		ids = append(ids, l.id)
	}
	return ids
}

// identicalRecords is one batch of count records equal in every field,
// timestamp included, as a tight loop logging the same line produces.
func identicalRecords(count int, body string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "checkout")
	sl := rl.ScopeLogs().AppendEmpty()
	for i := 0; i < count; i++ {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 27, 9, 0, 0, 123_000_000, time.UTC)))
		lr.Body().SetStr(body)
	}
	return ld
}

func TestRetryOfABatchReproducesEveryID(t *testing.T) {
	node := &searchNode{status: 503}
	e := newTestExporter(t, node, nil)
	if err := e.pushLogs(context.Background(), sampleLogs()); err == nil {
		t.Fatal("want a retryable error from a 503")
	}
	// The second record has no timestamp: it is indexed at "now", which has
	// moved on by the retry, and must keep its id all the same.
	e.now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 30, 0, time.UTC) }
	node.status = 0
	if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
		t.Fatal(err)
	}
	first, second := idsOf(t, node.bodies[0]), idsOf(t, node.bodies[1])
	if len(first) != 2 || first[0] != second[0] || first[1] != second[1] {
		t.Errorf("ids changed between attempts: %v then %v", first, second)
	}
	if first[0] == first[1] {
		t.Errorf("two different records share id %s", first[0])
	}
}

func TestIdenticalRecordsInOneBatchAreStoredTwice(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, nil)
	if err := e.pushLogs(context.Background(), identicalRecords(2, "heartbeat")); err != nil {
		t.Fatal(err)
	}
	if got := node.storedCount(); got != 2 {
		t.Errorf("stored %d documents, want 2", got)
	}
	// And resending the batch (a retry) stores nothing more.
	if err := e.pushLogs(context.Background(), identicalRecords(2, "heartbeat")); err != nil {
		t.Fatal(err)
	}
	if got := node.storedCount(); got != 2 {
		t.Errorf("after a retry: stored %d documents, want 2", got)
	}
}

func TestIdenticalRecordsInDifferentBatchesAreStoredTwice(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, nil)
	one := identicalRecords(1, "heartbeat")
	other := identicalRecords(2, "heartbeat")
	other.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(1).Body().SetStr("another line")
	for _, ld := range []plog.Logs{one, other} {
		if err := e.pushLogs(context.Background(), ld); err != nil {
			t.Fatal(err)
		}
	}
	if got := node.storedCount(); got != 3 {
		t.Errorf("stored %d documents, want 3", got)
	}
}

func TestRecordsAtTheSamePositionOfDifferentBatchesGetDifferentIDs(t *testing.T) {
	node := &searchNode{}
	e := newTestExporter(t, node, nil)
	for _, body := range []string{"first", "second"} {
		if err := e.pushLogs(context.Background(), identicalRecords(1, body)); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := idsOf(t, node.bodies[0])[0], idsOf(t, node.bodies[1])[0]; a == b {
		t.Errorf("both records got id %s", a)
	}
}
