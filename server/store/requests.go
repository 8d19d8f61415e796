package store

import "art60/server/api"

func rejected(m Mutation, e *api.Error) api.MutationResult {
	return api.MutationResult{MutationID: m.MutationID, Outcome: api.OutcomeRejected, Error: e}
}

func applied(m Mutation, r *api.Request) api.MutationResult {
	return api.MutationResult{MutationID: m.MutationID, Outcome: api.OutcomeApplied, RequestID: r.ID,
		Receipt: &api.Receipt{Status: r.Status, ReceivedAt: r.ReceivedAt, DueDate: r.DueDate,
			ResultDiffers: r.ResultDiffers, Differences: r.Differences, Seq: r.Seq}}
}

// queueItem is what the queue and the reports know of a request: ids,
// dates and flags, no personal data.
func queueItem(r *api.Request, c CPAS) api.QueueItem {
	q := api.QueueItem{RequestID: r.ID, CPASID: r.CPASID, CPASName: c.Name, OfficeID: c.OfficeID, Kind: r.Kind,
		LastName: r.LastName, FirstName: r.FirstName,
		Status: r.Status, ReceivedAt: r.ReceivedAt, DueDate: r.DueDate, HasAttachments: len(r.Attachments) > 0,
		HasDerogation: r.Derogation != nil, ResultDiffers: r.ResultDiffers, Unreachable: r.Unreachable != nil,
		CommentCount: len(r.Thread)}
	if r.Decision != nil {
		q.DecidedAt = r.Decision.DecidedAt
	}
	if n := len(r.Thread); n > 0 {
		q.LastCommentAt = r.Thread[n-1].At
	}
	return q
}
