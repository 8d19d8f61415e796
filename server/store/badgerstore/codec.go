package badgerstore

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"art60/server/api"
	"art60/server/store"

	"github.com/dgraph-io/badger/v4"
	"github.com/klauspost/compress/zstd"
)

// Requests are stored packed: their JSON compressed with zstd against a
// dictionary of typical requests (the explanations' sentences in the four
// languages, the rule sets' sources, the field names), which takes a
// request from about 4 KB to a few hundred bytes. Badger compresses its
// table blocks but not the value log, and a 4 KiB block holds about one
// request, so its own compression finds little to share.
//
// The dictionary was made once from requests solved by calc (examples V1
// and V2 of RULES.md and a case of five periods, in French, Dutch, German
// and English), each as its lean part and its explanation. It is data: a value packed with it can only be read with the
// same bytes, so zstd-dict-v1.txt never changes (TestThePackingDictionaryNeverChanges).
// Better samples go into a new file with a new first byte, and both are read.
//
//go:embed zstd-dict-v1.txt
var dictV1 []byte

const (
	packedV1 = 0x01 // first byte of a value packed with dictV1; JSON never starts with it
	dictV1ID = 1
)

var (
	packer = sync.OnceValues(func() (*zstd.Encoder, error) {
		// One encoder (only the writer goroutine packs) with a window of
		// 1 MiB (the dictionary and any request), not 8 MiB of history.
		return zstd.NewWriter(nil, zstd.WithEncoderDictRaw(dictV1ID, dictV1), zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20))
	})
	unpacker = sync.OnceValues(func() (*zstd.Decoder, error) {
		return zstd.NewReader(nil, zstd.WithDecoderDictRaw(dictV1ID, dictV1), zstd.WithDecoderMaxMemory(64<<20))
	})
)

// pack encodes v as JSON and compresses it.
func pack(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	enc, err := packer()
	if err != nil {
		return nil, fmt.Errorf("store: zstd encoder: %w", err)
	}
	return enc.EncodeAll(b, []byte{packedV1}), nil
}

// decodeValue decodes a stored value: plain JSON (every value before
// requests were packed, and every other kind of value) or a packed one.
func decodeValue(b []byte, v any) error {
	b, err := unpack(b)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// unpack returns the JSON of a packed value, in new memory, and any other
// value as it is.
func unpack(v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != packedV1 {
		return v, nil
	}
	dec, err := unpacker()
	if err != nil {
		return nil, fmt.Errorf("store: zstd decoder: %w", err)
	}
	b, err := dec.DecodeAll(v[1:], nil)
	if err != nil {
		return nil, fmt.Errorf("store: unpack a value: %w", err)
	}
	return b, nil
}

// leanJSON is the JSON of a stored request's lean form, in new memory: the
// packed value unpacked, or, for a request stored whole before packing,
// its lean form encoded again.
func leanJSON(v []byte) ([]byte, error) {
	if len(v) > 0 && v[0] == packedV1 {
		return unpack(v)
	}
	var r api.Request
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	l, _ := r.Lean()
	return json.Marshal(l)
}

// setRequest writes a request as two packed values: the lean request under
// r/, which listing changes reads alone (pull sends no more), and its
// explanation under rx/, which only reading the whole request adds. An
// erased request's mark has no explanation.
func setRequest(txn *badger.Txn, r *api.Request) error {
	l, e := r.Lean()
	b, err := pack(l)
	if err != nil {
		return err
	}
	if err := txn.Set(requestKey(r.CPASID, r.ID), b); err != nil {
		return err
	}
	if r.Status == api.StatusErased {
		return txn.Delete(explanationKey(r.CPASID, r.ID))
	}
	if b, err = pack(e); err != nil {
		return err
	}
	return txn.Set(explanationKey(r.CPASID, r.ID), b)
}

// explain adds its stored explanation to a lean request. A request stored
// before requests were split has none: its r/ value holds everything.
func explain(txn *badger.Txn, r *api.Request) error {
	var e api.Explanation
	err := getJSON(txn, explanationKey(r.CPASID, r.ID), &e)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: read the explanation of request %s: %w", r.ID, err)
	}
	r.Explain(e)
	return nil
}
