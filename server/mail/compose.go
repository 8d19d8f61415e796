package mail

import (
	"errors"
	"strings"

	"art60/server/store"
)

// text is one message in one language. %REF% is the request's reference
// (its id) and %LINK% the link to it: the only data a message carries, so
// that a mail sent to a collective address or a colleague (seed 004) shows
// no personal data; the person's file opens in the app, after sign-in.
type text struct {
	subject, calculated, invalidated, body string
}

var decisionTexts = map[string]text{
	"fr": {
		subject:     "Demande article 60 § 7 %REF% : %OUTCOME%",
		calculated:  "calculée par l'ONEM",
		invalidated: "invalidée par l'ONEM",
		body: "Bonjour,\n\nL'ONEM a traité la demande %REF% : elle est %OUTCOME%.%REASON%\n\n" +
			"Consultez-la dans l'application :\n%LINK%\n\n" +
			"Ce message est envoyé automatiquement : n'y répondez pas. Pour une question, utilisez les " +
			"commentaires de la demande ou contactez votre bureau de chômage.\n",
	},
	"nl": {
		subject:     "Aanvraag artikel 60 § 7 %REF%: %OUTCOME%",
		calculated:  "berekend door de RVA",
		invalidated: "ongeldig verklaard door de RVA",
		body: "Goedendag,\n\nDe RVA heeft aanvraag %REF% behandeld: ze is %OUTCOME%.%REASON%\n\n" +
			"Bekijk ze in de toepassing:\n%LINK%\n\n" +
			"Dit bericht wordt automatisch verzonden: antwoord er niet op. Gebruik voor een vraag de " +
			"opmerkingen bij de aanvraag of neem contact op met uw werkloosheidsbureau.\n",
	},
	"de": {
		subject:     "Antrag Artikel 60 § 7 %REF%: %OUTCOME%",
		calculated:  "vom LfA berechnet",
		invalidated: "vom LfA für ungültig erklärt",
		body: "Guten Tag,\n\nDas LfA hat den Antrag %REF% bearbeitet: er wurde %OUTCOME%.%REASON%\n\n" +
			"Sie finden ihn in der Anwendung:\n%LINK%\n\n" +
			"Diese Nachricht wird automatisch versandt: Bitte antworten Sie nicht darauf. Für Fragen nutzen " +
			"Sie die Kommentare zum Antrag oder wenden Sie sich an Ihr Arbeitslosenbüro.\n",
	},
	"en": {
		subject:     "Article 60 § 7 request %REF%: %OUTCOME%",
		calculated:  "calculated by ONEM",
		invalidated: "invalidated by ONEM",
		body: "Hello,\n\nONEM has processed request %REF%: it was %OUTCOME%.%REASON%\n\n" +
			"Open it in the application:\n%LINK%\n\n" +
			"This message is sent automatically: please do not reply. For a question, use the request's " +
			"comments or contact your unemployment office.\n",
	},
}

// questionTexts tell the reference person that ONEM wrote in a request's
// comments (seed 004: the CPAS answers ONEM's questions there); the text of
// the comment stays in the app.
var questionTexts = map[string]text{
	"fr": {subject: "Demande article 60 § 7 %REF% : question de l'ONEM",
		body: "Bonjour,\n\nL'ONEM a écrit dans les commentaires de la demande %REF%.\n\n" +
			"Lisez-les et répondez dans l'application :\n%LINK%\n\n" +
			"Ce message est envoyé automatiquement : n'y répondez pas.\n"},
	"nl": {subject: "Aanvraag artikel 60 § 7 %REF%: vraag van de RVA",
		body: "Goedendag,\n\nDe RVA heeft geschreven in de opmerkingen bij aanvraag %REF%.\n\n" +
			"Lees en antwoord in de toepassing:\n%LINK%\n\n" +
			"Dit bericht wordt automatisch verzonden: antwoord er niet op.\n"},
	"de": {subject: "Antrag Artikel 60 § 7 %REF%: Frage des LfA",
		body: "Guten Tag,\n\nDas LfA hat in die Kommentare zum Antrag %REF% geschrieben.\n\n" +
			"Lesen und antworten Sie in der Anwendung:\n%LINK%\n\n" +
			"Diese Nachricht wird automatisch versandt: Bitte antworten Sie nicht darauf.\n"},
	"en": {subject: "Article 60 § 7 request %REF%: a question from ONEM",
		body: "Hello,\n\nONEM wrote in the comments of request %REF%.\n\n" +
			"Read them and answer in the application:\n%LINK%\n\n" +
			"This message is sent automatically: please do not reply.\n"},
}

// templates are the texts of each store.Mail template, by language.
var templates = map[string]map[string]text{store.TemplateDecision: decisionTexts, store.TemplateQuestion: questionTexts}

// reasonHint says where the reason of an invalidation is: in the app, not in
// the mail (the remark may name the person).
var reasonHint = map[string]string{
	"fr": " La raison figure dans les remarques de la demande.",
	"nl": " De reden staat in de opmerkingen bij de aanvraag.",
	"de": " Der Grund steht in den Anmerkungen zum Antrag.",
	"en": " The reason is in the request's remarks.",
}

// Link is the address of a request in the app.
func Link(baseURL, requestID string) string {
	return strings.TrimRight(baseURL, "/") + "/requests/" + requestID
}

// Compose returns the subject and the plain-text body of an outbox mail.
// An unknown language falls back to French, the default of a submission.
func Compose(m store.Mail, baseURL string) (subject, body string, err error) {
	texts := templates[m.Template]
	if texts == nil {
		return "", "", errors.New("mail: unknown template " + m.Template)
	}
	t, ok := texts[m.Lang]
	lang := m.Lang
	if !ok {
		t, lang = texts["fr"], "fr"
	}
	outcome, reason := t.calculated, ""
	switch {
	case m.Template == store.TemplateQuestion:
	case m.Outcome == "calculated":
	case m.Outcome == "invalidated":
		outcome, reason = t.invalidated, reasonHint[lang]
	default:
		return "", "", errors.New("mail: unknown outcome " + m.Outcome)
	}
	r := strings.NewReplacer("%REF%", m.RequestID, "%OUTCOME%", outcome, "%REASON%", reason,
		"%LINK%", Link(baseURL, m.RequestID))
	return r.Replace(t.subject), r.Replace(t.body), nil
}
