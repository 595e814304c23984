package searchbulkexporter

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// logDocument is the JSON document indexed for one log record. Field names
// follow the OTLP data model; attribute keys keep their dots, which the search
// node maps to nested objects (attributes.http.route).
type logDocument struct {
	Timestamp         string         `json:"@timestamp"`
	ObservedTimestamp string         `json:"observed_timestamp,omitempty"`
	SeverityText      string         `json:"severity_text,omitempty"`
	SeverityNumber    int32          `json:"severity_number,omitempty"`
	EventName         string         `json:"event_name,omitempty"`
	Body              any            `json:"body,omitempty"`
	TraceID           string         `json:"trace_id,omitempty"`
	SpanID            string         `json:"span_id,omitempty"`
	Attributes        map[string]any `json:"attributes,omitempty"`
	Resource          resourceDoc    `json:"resource"`
	Scope             scopeDoc       `json:"scope"`
}

type resourceDoc struct {
	Attributes map[string]any `json:"attributes,omitempty"`
}

type scopeDoc struct {
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
}

// recordTime is the time a record is indexed under: its own timestamp, else
// the time the SDK observed it (both are optional in OTLP), else now. The last
// case is reported with fromClock, because such a time changes between
// attempts and must not feed the document id.
func recordTime(lr plog.LogRecord, now time.Time) (ts time.Time, fromClock bool) {
	if ts := lr.Timestamp(); ts != 0 {
		return ts.AsTime().UTC(), false
	}
	if ts := lr.ObservedTimestamp(); ts != 0 {
		return ts.AsTime().UTC(), false
	}
	return now.UTC(), true
}

func newLogDocument(res pcommon.Resource, scope pcommon.InstrumentationScope, lr plog.LogRecord, ts time.Time) logDocument {
	doc := logDocument{
		Timestamp:      ts.Format(time.RFC3339Nano),
		SeverityText:   lr.SeverityText(),
		SeverityNumber: int32(lr.SeverityNumber()),
		EventName:      lr.EventName(),
		Attributes:     nonEmpty(lr.Attributes()),
		Resource:       resourceDoc{Attributes: nonEmpty(res.Attributes())},
		Scope:          scopeDoc{Name: scope.Name(), Version: scope.Version()},
	}
	if ots := lr.ObservedTimestamp(); ots != 0 {
		doc.ObservedTimestamp = ots.AsTime().UTC().Format(time.RFC3339Nano)
	}
	if lr.Body().Type() != pcommon.ValueTypeEmpty {
		doc.Body = lr.Body().AsRaw()
	}
	if tid := lr.TraceID(); !tid.IsEmpty() {
		doc.TraceID = tid.String()
	}
	if sid := lr.SpanID(); !sid.IsEmpty() {
		doc.SpanID = sid.String()
	}
	return doc
}

func nonEmpty(m pcommon.Map) map[string]any {
	if m.Len() == 0 {
		return nil
	}
	return m.AsRaw()
}

// Document ids.
//
// Two requirements pull against each other:
//
//   - Stable on retry. A batch is resent whole after an overload or an outage,
//     from memory or from the persistent queue after a restart; records the
//     node already stored must then be answered 409 (counted as delivered),
//     not stored again. So the id may depend only on what is in the batch, never
//     on the clock or a random number drawn at send time.
//   - Distinct for distinct records. Two log records identical in every field
//     (same body, attributes and nanosecond timestamp: a tight loop logging the
//     same line, or a logger without timestamps) are two events and must be
//     stored twice. A hash of the record alone cannot tell them apart.
//
// The id is therefore derived from the whole batch and the record's position
// in it: SHA-256(batch digest || ordinal), truncated to 160 bits, where the
// batch digest is a SHA-256 over every record's document in order and the
// ordinal counts records across resources and scopes. Retrying the same
// batch reproduces every id; two records at different positions of a batch
// differ by ordinal; records in different batches differ by digest unless the
// two batches are identical record for record, which includes the
// nanosecond timestamps. That residual case (e.g. two identical
// one-record batches of records carrying no timestamp at all) is stored once.
//
// Records with no timestamp get "now" as @timestamp; the digest is computed
// from their document without it, so that a retry reproduces the id.
//
// This holds because the exporter receives batches as they were queued: the
// sending queue's own batching (sending_queue.batch) is off. Turned on, it
// would regroup queued requests at read time, and a replay after a restart
// could produce different batches, hence new ids and duplicates.

// batchDigest accumulates the digest of a batch's documents, each prefixed by
// its length so that no two different sequences of documents hash alike.
type batchDigest struct {
	h hash.Hash
}

func newBatchDigest() *batchDigest { return &batchDigest{h: sha256.New()} }

func (d *batchDigest) add(doc []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(doc)))
	d.h.Write(n[:])
	d.h.Write(doc)
}

// ids returns the document ids of the count records added, in order.
func (d *batchDigest) ids(count int) []string {
	digest := d.h.Sum(nil)
	ids := make([]string, count)
	buf := make([]byte, len(digest)+8)
	copy(buf, digest)
	for i := range ids {
		binary.BigEndian.PutUint64(buf[len(digest):], uint64(i))
		sum := sha256.Sum256(buf)
		ids[i] = base64.RawURLEncoding.EncodeToString(sum[:20])
	}
	return ids
}

// bulkAction is the action line that precedes each document in a _bulk body.
type bulkAction struct {
	Create bulkTarget `json:"create"`
}

type bulkTarget struct {
	Index string `json:"_index"`
	ID    string `json:"_id"`
}

func marshalAction(index, id string) ([]byte, error) {
	return json.Marshal(bulkAction{Create: bulkTarget{Index: index, ID: id}})
}
