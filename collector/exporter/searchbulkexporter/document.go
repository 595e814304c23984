package searchbulkexporter

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
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
// the time the SDK observed it, else now (both are optional in OTLP).
func recordTime(lr plog.LogRecord, now time.Time) time.Time {
	if ts := lr.Timestamp(); ts != 0 {
		return ts.AsTime().UTC()
	}
	if ts := lr.ObservedTimestamp(); ts != 0 {
		return ts.AsTime().UTC()
	}
	return now.UTC()
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

// documentID derives the document _id from its content, so that a batch
// resent after a partial failure does not index the same record twice: the
// search node answers 409 for records it already has. Two records identical in
// every field, timestamp included, are stored once.
func documentID(source []byte) string {
	sum := sha256.Sum256(source)
	return base64.RawURLEncoding.EncodeToString(sum[:20])
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
