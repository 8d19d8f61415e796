package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// Attachments are PDF, PNG or JPEG only, recognised by their first bytes:
// the declared Content-Type is not trusted, and a file whose bytes say
// otherwise is refused (a "disguised" file).
var fileTypes = []struct {
	magic []byte
	mime  string
}{
	{[]byte("%PDF-"), "application/pdf"},
	{[]byte("\x89PNG\r\n\x1a\n"), "image/png"},
	{[]byte("\xff\xd8\xff"), "image/jpeg"},
}

func sniff(data []byte) string {
	for _, t := range fileTypes {
		if bytes.HasPrefix(data, t.magic) {
			return t.mime
		}
	}
	return ""
}

func (s *Service) uploadAttachment(c *call) error {
	data, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxAttachmentBody))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return fail(api.CodeTooLarge, "attachments are limited to 10 MiB")
	}
	if err != nil {
		return fail(api.CodeInvalid, "could not read the file")
	}
	if len(data) == 0 {
		return fail(api.CodeInvalid, "the file is empty", api.FieldError{Path: "", Message: "empty"})
	}
	kind := sniff(data)
	declared, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if kind == "" || (declared != "" && declared != "application/octet-stream" && declared != kind) {
		return fail(api.CodeUnsupportedFile, "only PDF, PNG and JPEG files are accepted, with their real type")
	}
	sum := sha256.Sum256(data)
	a := store.Attachment{CPASID: c.p.user.CPASID, SHA256: hex.EncodeToString(sum[:]), ContentType: kind,
		Size: int64(len(data)), UploadedBy: c.p.user.ID, UploadedAt: s.now().UTC().Format(time.RFC3339)}
	audit := c.p.audit(store.ActionAttachmentUpload)
	audit.CPASID, audit.Object = a.CPASID, a.SHA256
	err = s.st.PutAttachment(c.r.Context(), a, data, audit)
	if errors.Is(err, store.ErrQuotaExceeded) {
		return fail(api.CodeQuotaExceeded, "the CPAS's storage quota for attachments is used up: ask the administrator to raise it")
	}
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusCreated, api.AttachmentInfo{ID: a.SHA256, ContentType: kind, Size: a.Size})
	return nil
}

// getAttachment sends one file of the caller's tenant. With ?requestId=
// (what the review and detail screens send) the file must belong to that
// request, and the audit entry names the request, so "who opened this
// person's file" finds the download.
func (s *Service) getAttachment(c *call) error {
	sha := c.r.PathValue("sha256")
	if !api.IsSHA256(sha) {
		return errNotFound
	}
	cpas, req, err := s.attachmentScope(c, sha)
	if err != nil {
		return err
	}
	for _, cp := range cpas {
		a, data, err := s.st.Attachment(c.r.Context(), cp, sha)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		return s.sendAttachment(c, a, req, data)
	}
	return errNotFound
}

// attachmentScope lists the CPAS where the file may be, and the request
// it is opened from, if the caller named one (nil otherwise).
func (s *Service) attachmentScope(c *call, sha string) ([]string, *api.Request, error) {
	rid := c.r.URL.Query().Get("requestId")
	if rid == "" {
		cpas, err := s.tenants(c)
		return cpas, nil, err
	}
	if !api.IsUUID(rid) {
		return nil, nil, fail(api.CodeInvalid, "bad request id", api.FieldError{Path: "requestId", Message: "must be a request id"})
	}
	r, err := s.findRequest(c, rid)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(r.Attachments, sha) {
		return nil, nil, errNotFound
	}
	return []string{r.CPASID}, r, nil
}

func (s *Service) sendAttachment(c *call, a store.Attachment, req *api.Request, data []byte) error {
	audit := c.p.audit(store.ActionAttachmentRead)
	audit.CPASID, audit.Object = a.CPASID, a.SHA256
	disposition := "attachment"
	if req != nil {
		audit.RequestID = req.ID
		disposition = contentDisposition(req.Files, a.SHA256)
	}
	if err := s.st.AppendAudit(c.r.Context(), audit); err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(data)
	return nil
}

// contentDisposition names the download as the worker named the file
// (RFC 6266, the name percent-encoded as UTF-8), or leaves it unnamed.
func contentDisposition(files []api.File, sha string) string {
	for _, f := range files {
		if f.SHA256 == sha {
			return "attachment; filename*=UTF-8''" + url.PathEscape(f.Name)
		}
	}
	return "attachment"
}
