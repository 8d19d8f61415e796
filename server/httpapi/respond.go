package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"art60/server/api"

	"github.com/klauspost/compress/gzhttp"
)

// Body limits: a push of a large case (2,000 periods) stays far below 1 MiB.
const (
	maxJSONBody       = 1 << 20
	maxAttachmentBody = 10 << 20
)

// httpError is an api.Error with its HTTP status.
type httpError struct {
	status     int
	body       *api.Error
	retryAfter time.Duration // for 429 and 503
}

func (e *httpError) Error() string { return e.body.Error() }

// fail builds the error answer for a stable code.
func fail(code, message string, fields ...api.FieldError) *httpError {
	return &httpError{status: statusOf(code), body: &api.Error{Code: code, Message: message, Fields: fields}}
}

func failWith(e *api.Error) *httpError { return &httpError{status: statusOf(e.Code), body: e} }

// statusOf maps each stable code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case api.CodeInvalidJSON, api.CodeInvalidType, api.CodeUnknownField:
		return http.StatusBadRequest
	case api.CodeInvalid, api.CodeParentNotFound, api.CodeAttachmentNotFound, api.CodeEndCheckWindow, api.CodeWrongPassword:
		return http.StatusUnprocessableEntity
	case api.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case api.CodeUnsupportedMediaType, api.CodeUnsupportedFile:
		return http.StatusUnsupportedMediaType
	case api.CodeUnauthenticated, api.CodeBadCredentials, api.CodeSessionExpired:
		return http.StatusUnauthorized
	case api.CodeForbidden, api.CodeCSRF, api.CodeWrongUser:
		return http.StatusForbidden
	case api.CodeNotFound:
		return http.StatusNotFound
	case api.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case api.CodeThrottled:
		return http.StatusTooManyRequests
	case api.CodeUpdateRequired:
		return http.StatusUpgradeRequired
	case api.CodeAlreadySent, api.CodeForbiddenTransition, api.CodeAlreadyDecided, api.CodeEndCheckUsed,
		api.CodeStaleMutation, api.CodeMutationReused, api.CodeRequestIDTaken, api.CodeLoginTaken,
		api.CodeCPASTaken:
		return http.StatusConflict
	case api.CodeBusy, api.CodeStorageFull:
		return http.StatusServiceUnavailable
	case api.CodeInvitationInvalid:
		return http.StatusGone
	case api.CodeQuotaExceeded:
		return http.StatusInsufficientStorage
	}
	return http.StatusInternalServerError
}

var errNotFound = fail(api.CodeNotFound, "not found")

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, e *httpError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.retryAfter.Seconds()))))
	}
	writeJSON(w, e.status, api.ErrorBody{Error: e.body})
}

// decodeJSON reads a JSON body strictly: the right Content-Type, at most
// limit bytes, no unknown fields, no key given twice or in another case
// (checkKeys), one value and nothing after it.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fail(api.CodeUnsupportedMediaType, "the body must be application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return jsonError(err)
	}
	if he := checkKeys(body, reflect.TypeOf(v)); he != nil {
		return he
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonError(err)
		}
		return fail(api.CodeInvalidJSON, "unexpected data after the JSON value", api.FieldError{Path: "", Message: "trailing data"})
	}
	return nil
}

// jsonError turns a decoding error into a stable code and, where the
// decoder tells, the path of the field.
func jsonError(err error) *httpError {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return fail(api.CodeTooLarge, "the body is too large")
	case errors.As(err, &typeErr):
		path := typeErr.Field
		return fail(api.CodeInvalidType, "a value has the wrong type",
			api.FieldError{Path: path, Message: "must be " + jsonType(typeErr.Type.Kind().String())})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fail(api.CodeUnknownField, "the body has a field the API does not know",
			api.FieldError{Path: name, Message: "unknown field"})
	}
	return fail(api.CodeInvalidJSON, "the body is not valid JSON", api.FieldError{Path: "", Message: "not JSON"})
}

func jsonType(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	}
	return "an object"
}

// compressJSON compresses JSON answers of 1 KiB and more with zstd or gzip,
// as the client's Accept-Encoding allows (zstd first: as small as brotli
// at a fraction of its CPU, and Chromium and Firefox accept it). A pull of
// 200 requests shrinks about tenfold. Files (attachments) are sent as
// they are.
func compressJSON() (func(http.Handler) http.HandlerFunc, error) {
	w, err := gzhttp.NewWrapper(gzhttp.ContentTypes([]string{"application/json"}), gzhttp.MinSize(1024),
		gzhttp.EnableZstd(true), gzhttp.PreferZstd(true))
	if err != nil {
		return nil, fmt.Errorf("httpapi: compression: %w", err)
	}
	return w, nil
}
