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
	creds    *credentials
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
	creds, err := newCredentials(e.cfg.Credentials)
	if err != nil {
		return err
	}
	if creds != nil && strings.HasPrefix(e.cfg.ClientConfig.Endpoint, "http://") {
		e.settings.Logger.Warn("search_bulk sends credentials over plain HTTP; use an https:// endpoint outside loopback",
			zap.String("endpoint", e.cfg.ClientConfig.Endpoint))
	}
	client, err := e.cfg.ClientConfig.ToClient(ctx, host.GetExtensions(), e.settings.TelemetrySettings)
	if err != nil {
		return err
	}
	e.client = client
	e.creds = creds
	return nil
}

func (e *bulkExporter) indexFor(ts time.Time) string {
	if e.cfg.LogsIndexDateLayout == "" {
		return e.cfg.LogsIndex
	}
	return e.cfg.LogsIndex + "-" + ts.Format(e.cfg.LogsIndexDateLayout)
}

// encodeBulk renders logs as an NDJSON _bulk body with one create action per
// record, and ids as described above batchDigest.
func (e *bulkExporter) encodeBulk(ld plog.Logs) ([]byte, int, error) {
	type encoded struct {
		index  string
		source []byte
	}
	var records []encoded
	digest := newBatchDigest()
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
				ts, fromClock := recordTime(lr, now)
				doc := newLogDocument(rl.Resource(), sl.Scope(), lr, ts)
				source, err := json.Marshal(doc)
				if err != nil {
					return nil, 0, err
				}
				if fromClock {
					doc.Timestamp = ""
					timeless, err := json.Marshal(doc)
					if err != nil {
						return nil, 0, err
					}
					digest.add(timeless)
				} else {
					digest.add(source)
				}
				records = append(records, encoded{index: e.indexFor(ts), source: source})
			}
		}
	}
	var body bytes.Buffer
	for n, id := range digest.ids(len(records)) {
		action, err := marshalAction(records[n].index, id)
		if err != nil {
			return nil, 0, err
		}
		body.Write(action)
		body.WriteByte('\n')
		body.Write(records[n].source)
		body.WriteByte('\n')
	}
	return body.Bytes(), len(records), nil
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
	if e.creds != nil {
		req.Header.Set("Authorization", e.creds.authorization())
	}
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
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return e.authFailure(resp.StatusCode, count, count, truncate(respBody, 512))
	}
	if err := statusError(resp, respBody); err != nil {
		return err
	}
	return e.checkItems(respBody, count)
}

// authRetryDelay is the shortest wait before resending after a 401 or 403:
// credentials are not fixed in a second, and hammering the node fills its
// security audit log. A variable for tests.
var authRetryDelay = 10 * time.Second

// authFailure reports refused credentials loudly, with what to check, and
// returns a retryable error: the records stay queued (up to
// retry_on_failure.max_elapsed_time) rather than being dropped for what is a
// configuration fault, not theirs. The credential files are read again so that
// a rotated Secret is used by the next attempt.
func (e *bulkExporter) authFailure(status, refused, sent int, reason []byte) error {
	guidance := "check the search node credentials: credentials.username and password_file, credentials.api_key_file, or the auth authenticator extension"
	if status == http.StatusForbidden {
		guidance = "the search node user lacks privileges: it needs create_doc and create_index (or auto_configure) on the logs index " + e.cfg.LogsIndex + "*"
	}
	fields := []zap.Field{
		zap.Int("http_status", status), zap.Int("refused", refused), zap.Int("sent", sent),
		zap.String("endpoint", e.bulkURL), zap.String("reason", string(reason)),
	}
	if e.creds != nil {
		if err := e.creds.reload(); err != nil {
			fields = append(fields, zap.NamedError("reload_error", err))
		}
	}
	e.settings.Logger.Error("search node refused the log records: "+guidance+"; they stay queued and are retried", fields...)
	err := fmt.Errorf("search node answered HTTP %d to %d of %d log records (authentication or authorization): %s", status, refused, sent, guidance)
	return exporterhelper.NewThrottleRetry(err, authRetryDelay)
}

// statusError classifies a non-2xx answer to the whole request: overload and
// server errors are retried, anything else is the batch's fault and is dropped.
// 401 and 403 are handled before, by authFailure.
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

// itemError is the part of an item's error object worth reporting.
type itemError struct {
	Type   string `json:"type"`
	Reason string `json:"reason"`
}

// rejection tallies the records refused for one reason type.
type rejection struct {
	count       int
	firstReason string
}

// checkItems reads per-record results:
//
//   - 2xx, and 409 for a record an earlier attempt at this batch stored (ids are
//     stable across attempts), count as delivered;
//   - 429 and 5xx are overload: the whole batch is retried, which is
//     idempotent thanks to the 409s;
//   - 401 and 403 are credentials or privileges: retried like overload, and
//     logged loudly by authFailure;
//   - anything else (400 mapping conflicts and parse errors, 404 closed or
//     missing indices with auto-creation off) is the record's fault: resending
//     cannot help. Once nothing retryable remains, they are logged with their
//     reasons and a permanent error is returned, which exporterhelper counts
//     in otelcol_exporter_send_failed_log_records (the TelemetryExportFailing
//     alert) and then drops the batch; the rest of it is already stored.
func (e *bulkExporter) checkItems(body []byte, sent int) error {
	var br bulkResponse
	if err := json.Unmarshal(body, &br); err != nil {
		return consumererror.NewPermanent(fmt.Errorf("decoding bulk response: %w", err))
	}
	if !br.Errors {
		if len(br.Items) != sent {
			// A truncated or foreign answer: resending is safe (409s).
			return fmt.Errorf("bulk response lists %d items for %d log records sent", len(br.Items), sent)
		}
		return nil
	}
	retryable, authStatus, authRefused, rejected := 0, 0, 0, 0
	var authReason []byte
	reasons := map[string]*rejection{}
	var order []string
	for _, item := range br.Items {
		for _, res := range item {
			switch {
			case res.Status < 300 || res.Status == http.StatusConflict:
			case res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden:
				authRefused++
				if authStatus == 0 {
					authStatus, authReason = res.Status, truncate(res.Error, 512)
				}
			case res.Status == http.StatusTooManyRequests || res.Status >= 500:
				retryable++
			default:
				rejected++
				var ie itemError
				_ = json.Unmarshal(res.Error, &ie)
				key := fmt.Sprintf("%d %s", res.Status, ie.Type)
				r, ok := reasons[key]
				if !ok {
					r = &rejection{firstReason: string(truncate([]byte(ie.Reason), 300))}
					if ie.Reason == "" {
						r.firstReason = string(truncate(res.Error, 300))
					}
					reasons[key] = r
					order = append(order, key)
				}
				r.count++
			}
		}
	}
	if authRefused > 0 {
		return e.authFailure(authStatus, authRefused, sent, authReason)
	}
	summary := make([]string, 0, len(order))
	for _, key := range order {
		summary = append(summary, fmt.Sprintf("%d with HTTP %s: %s", reasons[key].count, key, reasons[key].firstReason))
	}
	if retryable > 0 {
		msg := fmt.Sprintf("search node refused %d of %d log records for overload", retryable, sent)
		if rejected > 0 {
			msg += fmt.Sprintf("; %d more rejected for their content (%s)", rejected, strings.Join(summary, "; "))
		}
		return errors.New(msg)
	}
	if rejected == 0 {
		return nil
	}
	e.settings.Logger.Error("search node rejected log records; they are dropped, the rest of the batch is stored",
		zap.Int("rejected", rejected), zap.Int("sent", sent), zap.Strings("reasons", summary))
	return consumererror.NewPermanent(fmt.Errorf("search node rejected %d of %d log records: %s", rejected, sent, strings.Join(summary, "; ")))
}

func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}
