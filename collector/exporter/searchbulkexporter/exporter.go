package searchbulkexporter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"
)

// maxResponseBytes bounds how much of a _bulk response is read: the answer to
// a large batch lists every item.
const maxResponseBytes = 64 << 20

type bulkExporter struct {
	cfg      *Config
	settings exporter.Settings
	client   *http.Client
	bulkURL  string
	now      func() time.Time
}

func newBulkExporter(cfg *Config, set exporter.Settings) *bulkExporter {
	return &bulkExporter{
		cfg:      cfg,
		settings: set,
		bulkURL:  strings.TrimSuffix(cfg.ClientConfig.Endpoint, "/") + "/_bulk",
		now:      time.Now,
	}
}

func (e *bulkExporter) start(ctx context.Context, host component.Host) error {
	client, err := e.cfg.ClientConfig.ToClient(ctx, host.GetExtensions(), e.settings.TelemetrySettings)
	if err != nil {
		return err
	}
	e.client = client
	return nil
}

func (e *bulkExporter) indexFor(ts time.Time) string {
	if e.cfg.LogsIndexDateLayout == "" {
		return e.cfg.LogsIndex
	}
	return e.cfg.LogsIndex + "-" + ts.Format(e.cfg.LogsIndexDateLayout)
}

// encodeBulk renders logs as an NDJSON _bulk body with one create action per record.
func (e *bulkExporter) encodeBulk(ld plog.Logs) ([]byte, int, error) {
	var body bytes.Buffer
	count := 0
	now := e.now()
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				ts := recordTime(lr, now)
				source, err := json.Marshal(newLogDocument(rl.Resource(), sl.Scope(), lr, ts))
				if err != nil {
					return nil, 0, err
				}
				action, err := marshalAction(e.indexFor(ts), documentID(source))
				if err != nil {
					return nil, 0, err
				}
				body.Write(action)
				body.WriteByte('\n')
				body.Write(source)
				body.WriteByte('\n')
				count++
			}
		}
	}
	return body.Bytes(), count, nil
}

func (e *bulkExporter) pushLogs(ctx context.Context, ld plog.Logs) error {
	body, count, err := e.encodeBulk(ld)
	if err != nil {
		return consumererror.NewPermanent(fmt.Errorf("encoding log records: %w", err))
	}
	if count == 0 {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.bulkURL, bytes.NewReader(body))
	if err != nil {
		return consumererror.NewPermanent(err)
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := e.client.Do(req)
	if err != nil {
		// Connection refused, reset, timeout: the node is down or busy; retry.
		return fmt.Errorf("sending bulk request to %s: %w", e.bulkURL, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("reading bulk response: %w", err)
	}
	if err := statusError(resp, respBody); err != nil {
		return err
	}
	return e.checkItems(respBody, count)
}

// statusError classifies a non-2xx answer to the whole request: overload and
// server errors are retried, anything else is the batch's fault and is dropped.
func statusError(resp *http.Response, body []byte) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err := fmt.Errorf("bulk request failed: HTTP %d: %s", resp.StatusCode, truncate(body, 512))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		if secs, convErr := strconv.Atoi(resp.Header.Get("Retry-After")); convErr == nil && secs > 0 {
			return exporterhelper.NewThrottleRetry(err, time.Duration(secs)*time.Second)
		}
		return err
	case resp.StatusCode >= 500:
		return err
	default:
		return consumererror.NewPermanent(err)
	}
}

type bulkResponse struct {
	Errors bool                        `json:"errors"`
	Items  []map[string]bulkItemResult `json:"items"`
}

type bulkItemResult struct {
	Status int             `json:"status"`
	Error  json.RawMessage `json:"error,omitempty"`
}

// checkItems reads per-record results. A record the node already holds (409,
// from an earlier attempt at this batch) counts as delivered. If any record
// was refused for overload the whole batch is retried: content-derived ids
// make that idempotent. Records refused for their content (mapping conflicts)
// are logged and dropped, since resending cannot succeed.
func (e *bulkExporter) checkItems(body []byte, sent int) error {
	var br bulkResponse
	if err := json.Unmarshal(body, &br); err != nil {
		return consumererror.NewPermanent(fmt.Errorf("decoding bulk response: %w", err))
	}
	if !br.Errors {
		return nil
	}
	retryable, rejected := 0, 0
	var firstReason json.RawMessage
	for _, item := range br.Items {
		for _, res := range item {
			switch {
			case res.Status < 300 || res.Status == http.StatusConflict:
			case res.Status == http.StatusTooManyRequests || res.Status >= 500:
				retryable++
			default:
				rejected++
				if firstReason == nil {
					firstReason = res.Error
				}
			}
		}
	}
	if rejected > 0 {
		e.settings.Logger.Warn("search node rejected log records",
			zap.Int("rejected", rejected), zap.Int("sent", sent),
			zap.String("first_reason", string(truncate(firstReason, 512))))
	}
	if retryable > 0 {
		return errors.New("search node refused " + strconv.Itoa(retryable) + " of " + strconv.Itoa(sent) + " log records for overload")
	}
	return nil
}

func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}
