package sqlbase

import (
	"encoding/json"

	"art60/server/store"
)

// PutAttachment adds the statement that stores a file, sealed; files are
// content-addressed, so a second copy of one changes nothing.
func (s *Sealer) PutAttachment(b *Statements, a store.Attachment, data []byte) error {
	meta, err := json.Marshal(a)
	if err != nil {
		return err
	}
	b.Add(`INSERT INTO attachments (cpas_id, sha256, meta, data_sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.CPASID, a.SHA256, string(meta), s.Seal(ADAttachment(a.CPASID, a.SHA256), data))
	return nil
}

// ReadAttachment reads a file and its metadata.
func (s *Sealer) ReadAttachment(row QueryRow, cpasID, sha string) (store.Attachment, []byte, error) {
	var meta, sealed []byte
	err := row(`SELECT meta, data_sealed FROM attachments WHERE cpas_id = ? AND sha256 = ?`, cpasID, sha).Scan(&meta, &sealed)
	if err != nil {
		return store.Attachment{}, nil, NotFound(err)
	}
	var a store.Attachment
	if err := json.Unmarshal(meta, &a); err != nil {
		return store.Attachment{}, nil, err
	}
	data, err := s.Open(ADAttachment(cpasID, sha), sealed)
	return a, data, err
}

// ScanAttachments reads the metadata of every stored file.
func ScanAttachments(query Query, fn func(store.Attachment) bool) error {
	return EachJSON(query, fn, `SELECT meta FROM attachments ORDER BY cpas_id, sha256`)
}
