package sqlbase

import (
	"bytes"
	"encoding/json"

	"art60/server/store"
)

// PutAttachment adds the statements that store a file, sealed; files are
// content-addressed, so a second copy of one changes nothing. With a
// partSize (the D1 store's), sealed bytes longer than it are split: the
// first part in attachments, the others in attachment_parts; the seal
// covers the whole, so a part altered, lost or moved does not open.
func (s *Sealer) PutAttachment(b *Statements, a store.Attachment, data []byte, partSize int) error {
	meta, err := json.Marshal(a)
	if err != nil {
		return err
	}
	sealed := s.Seal(ADAttachment(a.CPASID, a.SHA256), data)
	parts := [][]byte{sealed}
	if partSize > 0 {
		parts = split(sealed, partSize)
	}
	b.Add(`INSERT INTO attachments (cpas_id, sha256, meta, data_sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.CPASID, a.SHA256, string(meta), parts[0])
	for i, p := range parts[1:] {
		b.Add(`INSERT INTO attachment_parts (cpas_id, sha256, part, data_sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			a.CPASID, a.SHA256, i+1, p)
	}
	return nil
}

func split(b []byte, size int) [][]byte {
	var out [][]byte
	for len(b) > size {
		out, b = append(out, b[:size]), b[size:]
	}
	return append(out, b)
}

// ReadAttachment reads a file and its metadata, its parts put back
// together.
func (s *Sealer) ReadAttachment(row QueryRow, query Query, cpasID, sha string) (store.Attachment, []byte, error) {
	var meta, first []byte
	err := row(`SELECT meta, data_sealed FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&meta, &first)
	if err != nil {
		return store.Attachment{}, nil, NotFound(err)
	}
	var a store.Attachment
	if err := json.Unmarshal(meta, &a); err != nil {
		return store.Attachment{}, nil, err
	}
	sealed := bytes.NewBuffer(first)
	err = Each(query, func(r Rows) (bool, error) {
		var p []byte
		err := r.Scan(&p)
		sealed.Write(p)
		return true, err
	}, `SELECT data_sealed FROM attachment_parts WHERE cpas_id = ? AND sha256 = ? ORDER BY part`, cpasID, sha)
	if err != nil {
		return store.Attachment{}, nil, err
	}
	data, err := s.Open(ADAttachment(cpasID, sha), sealed.Bytes())
	return a, data, err
}

// ScanAttachments reads the metadata of every stored file.
func ScanAttachments(query Query, fn func(store.Attachment) bool) error {
	return EachJSON(query, fn, `SELECT meta FROM attachments ORDER BY cpas_id, sha256`)
}
