package calc

import (
	"strconv"
	"strings"
)

// Every text the engine produces, in French, Dutch, German and English,
// keyed by message id. {0}, {1}, … are replaced by the arguments of tr.
// TestMessages checks that every id has all four languages with the same
// placeholders, and that every id used in the code exists here.

type lang uint8

const (
	langFR lang = iota
	langNL
	langDE
	langEN
)

// langOf maps a language code to a language; anything unknown is English.
func langOf(s string) lang {
	switch s {
	case LangFR:
		return langFR
	case LangNL:
		return langNL
	case LangDE:
		return langDE
	}
	return langEN
}

// tr returns message id in language l with its placeholders filled.
func tr(l lang, id string, args ...string) string { return trSuffix(l, id, "", args...) }

// trSuffix is tr followed by suffix.
func trSuffix(l lang, id, suffix string, args ...string) string {
	m, ok := messages[id]
	if !ok {
		return id + suffix
	}
	s := m[l]
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s + suffix
	}
	var a [8]arg
	as := a[:0]
	for _, x := range args {
		as = append(as, text(x))
	}
	var buf [256]byte
	return string(append(fill(buf[:0], s, l, as), suffix...))
}

// arg is an argument of a message, printed only into the message: a
// text, a date (displayDate), a number (formatNumber) or an integer.
type arg struct {
	s    string
	x    float64
	z    int
	kind uint8
}

const (
	argText = iota
	argDate
	argNumber
	argInteger
)

func text(s string) arg    { return arg{s: s} }
func date(z int) arg       { return arg{z: z, kind: argDate} }
func number(x float64) arg { return arg{x: x, kind: argNumber} }
func integer(n int) arg    { return number(float64(n)) }

// appendMsg appends message id in language l with its placeholders filled.
func appendMsg(b []byte, l lang, id string, args ...arg) []byte {
	m, ok := messages[id]
	if !ok {
		return append(b, id...)
	}
	return fill(b, m[l], l, args)
}

// fill appends template s with each {n} replaced by args[n] (n < len(args)).
func fill(b []byte, s string, l lang, args []arg) []byte {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		if i+2 < len(s) && s[i+2] == '}' && s[i+1] >= '0' && s[i+1] <= '9' {
			if n := int(s[i+1] - '0'); n < len(args) {
				b = args[n].appendTo(b, l)
				s = s[i+3:]
				continue
			}
		}
		b, s = append(b, '{'), s[i+1:]
	}
}

func (a *arg) appendTo(b []byte, l lang) []byte {
	switch a.kind {
	case argDate:
		return appendDisplayDate(b, a.z)
	case argNumber:
		return appendNumber(b, a.x, l)
	case argInteger:
		return strconv.AppendInt(b, int64(a.z), 10)
	}
	return append(b, a.s...)
}

// messages: id → [fr, nl, de, en].
var messages = map[string][4]string{
	// Validation (RULES.md §8, §12.17).
	"json.invalid":         {"JSON non valide", "geen geldige JSON", "kein gültiges JSON", "not valid JSON"},
	"json.invalid_at":      {"JSON non valide à partir de l'octet {0}", "geen geldige JSON vanaf byte {0}", "kein gültiges JSON ab Byte {0}", "not valid JSON from byte {0}"},
	"label.too_long":       {"200 caractères au plus", "hoogstens 200 tekens", "höchstens 200 Zeichen", "at most 200 characters"},
	"field.unknown":        {"champ inconnu", "onbekend veld", "unbekanntes Feld", "unknown field"},
	"type.object":          {"doit être un objet", "moet een object zijn", "muss ein Objekt sein", "must be an object"},
	"type.string":          {"doit être une chaîne de caractères", "moet een tekenreeks zijn", "muss eine Zeichenkette sein", "must be a string"},
	"type.number":          {"doit être un nombre", "moet een getal zijn", "muss eine Zahl sein", "must be a number"},
	"type.integer":         {"doit être un nombre entier", "moet een geheel getal zijn", "muss eine ganze Zahl sein", "must be a whole number"},
	"type.boolean":         {"doit valoir true ou false", "moet true of false zijn", "muss true oder false sein", "must be true or false"},
	"type.array":           {"doit être une liste", "moet een lijst zijn", "muss eine Liste sein", "must be a list"},
	"number.range":         {"nombre hors limites", "getal buiten bereik", "Zahl außerhalb des zulässigen Bereichs", "number out of range"},
	"required":             {"obligatoire", "verplicht", "erforderlich", "required"},
	"date.invalid":         {"date non valide (AAAA-MM-JJ)", "geen geldige datum (JJJJ-MM-DD)", "kein gültiges Datum (JJJJ-MM-TT)", "not a valid date (YYYY-MM-DD)"},
	"date.range":           {"doit se situer entre 1900 et 2100", "moet tussen 1900 en 2100 liggen", "muss zwischen 1900 und 2100 liegen", "must lie between 1900 and 2100"},
	"date.order":           {"la fin précède le début", "het einde ligt vóór het begin", "das Ende liegt vor dem Beginn", "ends before it starts"},
	"dpw.range":            {"doit être un nombre entier de 1 à 7", "moet een geheel getal van 1 tot 7 zijn", "muss eine ganze Zahl von 1 bis 7 sein", "must be a whole number from 1 to 7"},
	"s.range":              {"doit être supérieur à 0 et au plus 60", "moet groter dan 0 en hoogstens 60 zijn", "muss größer als 0 und höchstens 60 sein", "must be more than 0 and at most 60"},
	"q.range":              {"doit être supérieur à 0 et au plus S", "moet groter dan 0 en hoogstens S zijn", "muss größer als 0 und höchstens S sein", "must be more than 0 and at most S"},
	"q.needs_s":            {"obligatoire quand Q est indiqué", "verplicht als Q is opgegeven", "erforderlich, wenn Q angegeben ist", "required when q is given"},
	"hours.needs_s":        {"obligatoire quand des heures sont indiquées", "verplicht als uren zijn opgegeven", "erforderlich, wenn Stunden angegeben sind", "required when hours are given"},
	"days_hours.exclusive": {"indiquez des jours ou des heures, pas les deux", "geef dagen of uren op, niet beide", "Tage oder Stunden angeben, nicht beides", "give days or hours, not both"},
	"value.negative":       {"doit être un nombre positif ou nul", "moet een getal groter dan of gelijk aan 0 zijn", "muss eine Zahl größer oder gleich 0 sein", "must be a number ≥ 0"},
	"field.work_only":      {"seulement pour une période de travail salarié", "enkel voor een periode van arbeid in loondienst", "nur für einen Zeitraum der Beschäftigung als Arbeitnehmer", "only allowed on a period of kind work"},
	"field.child_only":     {"seulement pour une période d'éducation d'un enfant", "enkel voor een periode van opvoeding van een kind", "nur für einen Zeitraum der Kindererziehung", "only allowed on a period of kind child_raising"},
	"frontier.belgium":     {"seulement pour du travail à l'étranger (pays autre que BE)", "enkel voor arbeid in het buitenland (ander land dan BE)", "nur für Arbeit im Ausland (anderes Land als BE)", "only for work abroad (a country other than BE)"},
	"kind.unknown":         {"type de période inconnu", "onbekende soort periode", "unbekannte Art von Zeitraum", "unknown kind"},
	"country.invalid":      {"pas un code pays ISO 3166-1 en majuscules (p. ex. BE, GB, GR)", "geen ISO 3166-1-landcode in hoofdletters (bv. BE, GB, GR)", "kein ISO-3166-1-Ländercode in Großbuchstaben (z. B. BE, GB, GR)", "not an ISO 3166-1 country code in capitals (e.g. BE, GB, GR)"},
	"niss.invalid":         {"numéro NISS ou BIS non valide", "geen geldig INSZ- of BIS-nummer", "keine gültige Nationalregister- oder BIS-Nummer", "not a valid NISS or BIS number"},
	"birth.required":       {"obligatoire (le NISS ne donne pas la date de naissance complète)", "verplicht (het INSZ geeft de volledige geboortedatum niet)", "erforderlich (die Nummer enthält nicht das vollständige Geburtsdatum)", "required (the NISS does not give the full birth date)"},
	"birth.mismatch":       {"ne correspond pas au NISS", "komt niet overeen met het INSZ", "stimmt nicht mit der Nationalregisternummer überein", "does not match the NISS"},
	"claimdays.invalid":    {"doit valoir mon-sat ou mon-fri", "moet mon-sat of mon-fri zijn", "muss mon-sat oder mon-fri sein", "must be mon-sat or mon-fri"},
	"periods.too_many":     {"2000 périodes au maximum", "hoogstens 2000 periodes", "höchstens 2000 Zeiträume", "at most 2000 periods"},
	"input.too_large":      {"données trop volumineuses", "invoer te groot", "Eingabe zu groß", "input too large"},

	"err.unreachable": {
		"Aucune date de fin jusqu'au {0} (6 ans après le début du contrat) ne rend la personne admissible ; au plus près : {1} jours sur {2} le {3}.",
		"Geen einddatum tot {0} (6 jaar na het begin van het contract) maakt de persoon toelaatbaar; het dichtst: {1} van {2} dagen op {3}.",
		"Kein Enddatum bis zum {0} (6 Jahre nach Vertragsbeginn) macht die Person zulässig; am nächsten: {1} von {2} Tagen am {3}.",
		"No end date up to {0} (6 years after the contract start) makes the person admissible; the closest was {1} of {2} days on {3}.",
	},

	// Rule sets (RULES.md §2).
	"ruleset.ar1991": {"Arrêté royal du 25.11.1991 (chômage)", "Koninklijk besluit van 25.11.1991 (werkloosheid)", "Königlicher Erlass vom 25.11.1991 (Arbeitslosigkeit)", "Royal decree of 25.11.1991 (unemployment)"},
	"ruleset.pl2025": {"Loi-programme du 18.07.2025 (demandes dès le 01.03.2026)", "Programmawet van 18.07.2025 (aanvragen vanaf 01.03.2026)", "Programmgesetz vom 18.07.2025 (Anträge ab dem 01.03.2026)", "Programme law of 18.07.2025 (claims from 01.03.2026)"},

	// Options (RULES.md §2.1).
	"opt.main": {"{0} jours en {1} mois", "{0} dagen in {1} maanden", "{0} Tage in {1} Monaten", "{0} days in {1} months"},
	"opt.pfixed": {
		"{0} jours en {1} mois et {2} jours dans les 10 ans qui précèdent",
		"{0} dagen in {1} maanden en {2} dagen in de 10 jaar daarvoor",
		"{0} Tage in {1} Monaten und {2} Tage in den 10 Jahren davor",
		"{0} days in {1} months and {2} days in the 10 years before",
	},
	"opt.pformula": {
		"{0} jours en {1} mois et {2} × ({3} − X) jours dans les 10 ans qui précèdent",
		"{0} dagen in {1} maanden en {2} × ({3} − X) dagen in de 10 jaar daarvoor",
		"{0} Tage in {1} Monaten und {2} × ({3} − X) Tage in den 10 Jahren davor",
		"{0} days in {1} months and {2} × ({3} − X) days in the 10 years before",
	},

	// Kinds (RULES.md §6).
	"kind.work":                     {"travail salarié", "arbeid in loondienst", "Beschäftigung als Arbeitnehmer", "salaried work"},
	"kind.sickness_guaranteed_wage": {"maladie (salaire garanti)", "ziekte (gewaarborgd loon)", "Krankheit (garantierter Lohn)", "sickness (guaranteed wage)"},
	"kind.sickness_mutual":          {"maladie (mutuelle)", "ziekte (ziekenfonds)", "Krankheit (Krankenkasse)", "sickness (mutual insurance fund)"},
	"kind.work_accident":            {"accident du travail", "arbeidsongeval", "Arbeitsunfall", "work accident"},
	"kind.occupational_disease":     {"maladie professionnelle", "beroepsziekte", "Berufskrankheit", "occupational disease"},
	"kind.maternity":                {"maternité, naissance ou adoption", "moederschap, geboorte of adoptie", "Mutterschaft, Geburt oder Adoption", "maternity, birth or adoption leave"},
	"kind.holiday":                  {"vacances (pécule de vacances)", "vakantie (vakantiegeld)", "Urlaub (Urlaubsgeld)", "holidays (holiday pay)"},
	"kind.compensatory_rest":        {"repos compensatoire", "inhaalrust", "Ausgleichsruhe", "compensatory rest"},
	"kind.temporary_unemployment":   {"chômage temporaire", "tijdelijke werkloosheid", "zeitweilige Arbeitslosigkeit", "temporary unemployment"},
	"kind.strike":                   {"grève ou lock-out", "staking of lock-out", "Streik oder Aussperrung", "strike or lock-out"},
	"kind.unemployment_benefits":    {"allocations de chômage complet", "volledige werkloosheidsuitkeringen", "Vollarbeitslosengeld", "full unemployment benefits"},
	"kind.vocational_training":      {"formation professionnelle", "beroepsopleiding", "Berufsausbildung", "vocational training"},
	"kind.unpaid_leave":             {"congé sans solde", "onbetaald verlof", "unbezahlter Urlaub", "unpaid leave"},
	"kind.detention":                {"détention", "hechtenis", "Haft", "detention"},
	"kind.force_majeure":            {"force majeure", "overmacht", "höhere Gewalt", "force majeure"},
	"kind.child_raising":            {"éducation d'un enfant", "opvoeding van een kind", "Kindererziehung", "raising a child"},
	"kind.self_employed":            {"indépendant à titre principal", "zelfstandige in hoofdberoep", "Selbstständiger im Hauptberuf", "self-employed (main occupation)"},
	"kind.not_insured":              {"emploi non assujetti à l'assurance chômage", "arbeid niet onderworpen aan de werkloosheidsverzekering", "nicht arbeitslosenversicherungspflichtige Beschäftigung", "job not insured against unemployment"},
	"kind.career_interruption":      {"interruption de carrière", "loopbaanonderbreking", "Laufbahnunterbrechung", "career interruption"},
	"kind.studies":                  {"études de plein exercice", "voltijdse studies", "Vollzeitstudium", "full-time studies"},

	// Treatments (RULES.md §6).
	"treat.credit": {"compte comme du travail", "telt als arbeid", "zählt als Arbeit", "counts as work"},
	"treat.extend": {"prolonge la période de référence", "verlengt de referteperiode", "verlängert den Referenzzeitraum", "extends the reference period"},
	"treat.none":   {"sans effet", "zonder gevolg", "ohne Wirkung", "no effect"},

	// What a rule rests on (the rule-set table, RULES.md §2, §13): AR
	// (KB, KE) is the royal decree of 25.11.1991, ONEM (RVA, LfA) the
	// leaflets, "secondary source" the rules of revision 2 that rest on no
	// article or leaflet.
	"cite.ar30":         {"AR art. 30, ONEM T31", "KB art. 30, RVA T31", "KE Art. 30, LfA T31", "AR art. 30, ONEM T31"},
	"cite.ar37":         {"AR art. 37", "KB art. 37", "KE Art. 37", "AR art. 37"},
	"cite.ar37.2":       {"AR art. 37 § 2", "KB art. 37 § 2", "KE Art. 37 § 2", "AR art. 37 § 2"},
	"cite.ar37.2.max15": {"AR art. 37 § 2 ; au plus 15 ans : source secondaire", "KB art. 37 § 2; hoogstens 15 jaar: secundaire bron", "KE Art. 37 § 2; höchstens 15 Jahre: Sekundärquelle", "AR art. 37 § 2; at most 15 years: secondary source"},
	"cite.ar38":         {"AR art. 38", "KB art. 38", "KE Art. 38", "AR art. 38"},
	"cite.ar42":         {"AR art. 42 ; 3 ans prolongés comme une période de référence : ONEM T39", "KB art. 42; 3 jaar verlengd zoals een referteperiode: RVA T39", "KE Art. 42; 3 Jahre verlängert wie ein Referenzzeitraum: LfA T39", "AR art. 42; 3 years extended like a reference period: ONEM T39"},
	"cite.t39":          {"ONEM T39", "RVA T39", "LfA T39", "ONEM T39"},
	"cite.t39.max15":    {"ONEM T39 ; au plus 15 ans : source secondaire", "RVA T39; hoogstens 15 jaar: secundaire bron", "LfA T39; höchstens 15 Jahre: Sekundärquelle", "ONEM T39; at most 15 years: secondary source"},
	"cite.t39.child":    {"ONEM T39 ; seulement avant le 6e anniversaire de l'enfant (18e en cas de handicap) : source secondaire", "RVA T39; enkel vóór de 6de verjaardag van het kind (18de bij een handicap): secundaire bron", "LfA T39; nur vor dem 6. Geburtstag des Kindes (18. bei einer Behinderung): Sekundärquelle", "ONEM T39; only before the child's 6th birthday (18th with a disability): secondary source"},
	"cite.secondary":    {"source secondaire", "secundaire bron", "Sekundärquelle", "secondary source"},
	"cite.pl2025":       {"Loi-programme du 18.07.2025, ONEM T200", "Programmawet van 18.07.2025, RVA T200", "Programmgesetz vom 18.07.2025, LfA T200", "Programme law of 18.07.2025, ONEM T200"},

	// Steps.
	"step.ruleset.ar1991": {
		"La date de demande {0} tombe au plus tard le 28/02/2026 : la réglementation « {1} » s'applique.",
		"De aanvraagdatum {0} valt uiterlijk op 28/02/2026: de regeling „{1}” is van toepassing.",
		"Das Antragsdatum {0} liegt spätestens am 28/02/2026: es gilt die Regelung „{1}“.",
		"The claim date {0} is on or before 28/02/2026: the rules of “{1}” apply.",
	},
	"step.ruleset.pl2025": {
		"La date de demande {0} tombe le 01/03/2026 ou après : la réglementation « {1} » s'applique (312 jours en 36 mois, quel que soit l'âge).",
		"De aanvraagdatum {0} valt op of na 01/03/2026: de regeling „{1}” is van toepassing (312 dagen in 36 maanden, ongeacht de leeftijd).",
		"Das Antragsdatum {0} liegt am oder nach dem 01/03/2026: es gilt die Regelung „{1}“ (312 Tage in 36 Monaten, unabhängig vom Alter).",
		"The claim date {0} is on or after 01/03/2026: the rules of “{1}” apply (312 days in 36 months, at any age).",
	},
	"step.age": {
		"Âge à la date de demande : {0} ans (naissance le {1}).",
		"Leeftijd op de aanvraagdatum: {0} jaar (geboren op {1}).",
		"Alter am Antragsdatum: {0} Jahre (geboren am {1}).",
		"Age at the claim date: {0} (born on {1}).",
	},
	"step.art42": {
		"Dernières allocations le {0}, entre le {2} et la veille de la date de demande {1} (3 ans, prolongés comme une période de référence) : la personne est réadmise sans stage (AR art. 42) ; aucun jour de travail n'est requis.",
		"Laatste uitkering op {0}, tussen {2} en de dag vóór de aanvraagdatum {1} (3 jaar, verlengd zoals een referteperiode): de persoon is opnieuw toelaatbaar zonder wachttijd (KB art. 42); er moeten geen dagen gewerkt worden.",
		"Letzte Leistungen am {0}, zwischen dem {2} und dem Tag vor dem Antragsdatum {1} (3 Jahre, verlängert wie ein Referenzzeitraum): die Person ist ohne Wartezeit wieder zugelassen (KE Art. 42); es sind keine Arbeitstage nötig.",
		"Benefits were last received on {0}, between {2} and the day before the claim date {1} (3 years, extended like a reference period): the person is admissible again without waiting period (AR art. 42); no days need to be worked.",
	},
	"step.art42.no": {
		"Les dernières allocations du {0} ne se situent pas entre le {2} et la veille du {1} (3 ans, prolongés comme une période de référence) : l'art. 42 ne s'applique pas.",
		"De laatste uitkering van {0} valt niet tussen {2} en de dag vóór {1} (3 jaar, verlengd zoals een referteperiode): art. 42 is niet van toepassing.",
		"Die letzten Leistungen vom {0} liegen nicht zwischen dem {2} und dem Tag vor dem {1} (3 Jahre, verlängert wie ein Referenzzeitraum): Art. 42 gilt nicht.",
		"The last benefits on {0} are not between {2} and the day before {1} (3 years, extended like a reference period): art. 42 does not apply.",
	},
	"step.rule": {"Règle : {0}.", "Regel: {0}.", "Regel: {0}.", "Rule: {0}."},
	"step.options": {
		"Possibilités pour cet âge, dans l'ordre : {0}.",
		"Mogelijkheden voor deze leeftijd, in volgorde: {0}.",
		"Möglichkeiten für dieses Alter, in dieser Reihenfolge: {0}.",
		"Options for this age, in order: {0}.",
	},
	"step.option": {
		"{0} : période du {1} au {2}, {3} jours pour {4} requis.",
		"{0}: periode van {1} tot {2}, {3} dagen voor {4} vereist.",
		"{0}: Zeitraum vom {1} bis {2}, {3} Tage bei {4} erforderlichen.",
		"{0}: window {1} to {2}, {3} days for {4} required.",
	},
	"step.option.p": {
		"Dans les 10 ans qui précèdent : {0} jours pour {1} requis.",
		"In de 10 jaar daarvoor: {0} dagen voor {1} vereist.",
		"In den 10 Jahren davor: {0} Tage bei {1} erforderlichen.",
		"In the 10 years before: {0} days for {1} required.",
	},
	"verdict.yes": {"Remplie.", "Voldaan.", "Erfüllt.", "Holds."},
	"verdict.no":  {"Non remplie.", "Niet voldaan.", "Nicht erfüllt.", "Not met."},
	"step.window": {
		"Période de référence : du {0} au {1} ({2} mois avant la date de demande, de date à date).",
		"Referteperiode: van {0} tot {1} ({2} maanden vóór de aanvraagdatum, van datum tot datum).",
		"Referenzzeitraum: vom {0} bis {1} ({2} Monate vor dem Antragsdatum, von Datum zu Datum).",
		"Reference period: {0} to {1} ({2} months before the claim date, day to day).",
	},
	"step.extension": {
		"Elle est prolongée de {0} jours couverts par des périodes qui la prolongent (sans elles, elle commencerait le {1}).",
		"Ze wordt verlengd met {0} dagen die gedekt zijn door periodes die haar verlengen (zonder die periodes zou ze beginnen op {1}).",
		"Er wird um {0} Tage verlängert, die von verlängernden Zeiträumen gedeckt sind (ohne diese begänne er am {1}).",
		"It is extended by {0} days covered by periods that extend it (without them it would start on {1}).",
	},
	"step.cap": {
		"La prolongation est plafonnée : la période ne commence pas plus de {0} ans avant la date de demande ({1}).",
		"De verlenging is begrensd: de periode begint niet meer dan {0} jaar vóór de aanvraagdatum ({1}).",
		"Die Verlängerung ist begrenzt: der Zeitraum beginnt nicht mehr als {0} Jahre vor dem Antragsdatum ({1}).",
		"The extension is capped: the period starts no more than {0} years before the claim date ({1}).",
	},
	"step.pad": {
		"Seuls les jours postérieurs à l'admission précédente du {0} comptent.",
		"Enkel de dagen na de vorige toelating van {0} tellen mee.",
		"Nur die Tage nach der vorigen Zulassung vom {0} zählen.",
		"Only the days after the previous admission of {0} count.",
	},
	"step.period": {
		"Période {0} ({1}, du {2} au {3}) : {4} ; {5} jours dans la période de référence.",
		"Periode {0} ({1}, van {2} tot {3}): {4}; {5} dagen in de referteperiode.",
		"Zeitraum {0} ({1}, vom {2} bis {3}): {4}; {5} Tage im Referenzzeitraum.",
		"Period {0} ({1}, {2} to {3}): {4}; {5} days in the reference period.",
	},
	"step.others": {
		"{0} autre(s) période(s) se situe(nt) entièrement hors de la période de référence : elles n'y apportent aucun jour.",
		"{0} andere periode(s) ligt/liggen volledig buiten de referteperiode: ze brengen er geen dagen in.",
		"{0} weitere(r) Zeitraum/Zeiträume liegt/liegen ganz außerhalb des Referenzzeitraums: sie bringen dort keine Tage.",
		"{0} other period(s) lie wholly outside the reference period and bring no days to it.",
	},
	"step.credits": {
		"Jours dans la période de référence : {0} avant le contrat et {1} du début du contrat à la date de fin, {2} au total, pour {3} requis.",
		"Dagen in de referteperiode: {0} vóór het contract en {1} van het begin van het contract tot de einddatum, {2} in totaal, voor {3} vereist.",
		"Tage im Referenzzeitraum: {0} vor dem Vertrag und {1} vom Vertragsbeginn bis zum Enddatum, insgesamt {2}, bei {3} erforderlichen.",
		"Days in the reference period: {0} before the contract and {1} from the contract start to the end date, {2} in all, for {3} required.",
	},
	"step.enough": {
		"La personne est déjà admissible le {0}, premier jour de demande à partir du début du contrat : aucun jour de contrat n'est nécessaire.",
		"De persoon is al toelaatbaar op {0}, de eerste aanvraagdag vanaf het begin van het contract: er zijn geen contractdagen nodig.",
		"Die Person ist bereits am {0} zugelassen, dem ersten Antragstag ab Vertragsbeginn: es sind keine Vertragstage nötig.",
		"The person is already admissible on {0}, the first claim day from the contract start: no contract days are needed.",
	},
	"step.contract": {
		"Le contrat du {0} au {1} compte {2} jours prévus à l'horaire (jours fériés et jours d'événements compris).",
		"Het contract van {0} tot {1} telt {2} geplande dagen (feestdagen en dagen met gebeurtenissen inbegrepen).",
		"Der Vertrag vom {0} bis {1} umfasst {2} planmäßige Tage (Feiertage und Tage mit Ereignissen eingeschlossen).",
		"The contract from {0} to {1} has {2} scheduled days (holidays and event days included).",
	},
	"step.end.first": {
		"Le {0} est le premier jour du contrat où une possibilité est remplie ; la veille du début du contrat, la meilleure possibilité avait {1} jours sur {2}.",
		"{0} is de eerste contractdag waarop een mogelijkheid voldaan is; de dag vóór het begin van het contract had de beste mogelijkheid {1} van {2} dagen.",
		"Der {0} ist der erste Vertragstag, an dem eine Möglichkeit erfüllt ist; am Tag vor Vertragsbeginn hatte die beste Möglichkeit {1} von {2} Tagen.",
		"{0} is the first day of the contract on which an option holds; the day before the contract started, the best option had {1} of {2} days.",
	},
	"step.end": {
		"Le {0} est le premier jour prévu du contrat où une possibilité est remplie ; le jour prévu précédent, le {1}, la meilleure possibilité avait {2} jours sur {3}.",
		"{0} is de eerste geplande contractdag waarop een mogelijkheid voldaan is; op de vorige, {1}, had de beste mogelijkheid {2} van {3} dagen.",
		"Der {0} ist der erste planmäßige Vertragstag, an dem eine Möglichkeit erfüllt ist; am vorigen, dem {1}, hatte die beste Möglichkeit {2} von {3} Tagen.",
		"{0} is the first scheduled day of the contract on which an option holds; on the previous one, {1}, the best option had {2} of {3} days.",
	},
	"step.claim": {
		"Le contrat peut prendre fin ce jour-là ; la date de demande est le jour de demande suivant, le {0}.",
		"Het contract kan die dag eindigen; de aanvraagdatum is de volgende aanvraagdag, {0}.",
		"Der Vertrag kann an diesem Tag enden; das Antragsdatum ist der nächste Antragstag, der {0}.",
		"The contract can end on that day; the claim date is the next claim day, {0}.",
	},
	"step.claimdays.monsat": {
		"Jours de demande : du lundi au samedi, jours fériés légaux exclus.",
		"Aanvraagdagen: maandag tot zaterdag, wettelijke feestdagen uitgezonderd.",
		"Antragstage: Montag bis Samstag, ohne gesetzliche Feiertage.",
		"Claim days: Monday to Saturday, legal holidays excluded.",
	},
	"step.claimdays.monfri": {
		"Jours de demande : du lundi au vendredi, jours fériés légaux exclus.",
		"Aanvraagdagen: maandag tot vrijdag, wettelijke feestdagen uitgezonderd.",
		"Antragstage: Montag bis Freitag, ohne gesetzliche Feiertage.",
		"Claim days: Monday to Friday, legal holidays excluded.",
	},

	// Warnings.
	"warn.lbd_ignored": {
		"La date des dernières allocations est ignorée : la réadmission sans stage (art. 42) n'existe pas sous « {0} ».",
		"De datum van de laatste uitkering wordt genegeerd: toelating zonder wachttijd (art. 42) bestaat niet onder „{0}”.",
		"Das Datum der letzten Leistungen wird ignoriert: die Wiederzulassung ohne Wartezeit (Art. 42) gibt es unter „{0}“ nicht.",
		"The last benefit date is ignored: readmission without waiting period (art. 42) does not exist under “{0}”.",
	},
	"warn.pad_ignored": {
		"La date de l'admission précédente est ignorée sous « {0} ».",
		"De datum van de vorige toelating wordt genegeerd onder „{0}”.",
		"Das Datum der vorigen Zulassung wird unter „{0}“ ignoriert.",
		"The previous admission date is ignored under “{0}”.",
	},
	"warn.short": {
		"La période {0} ({1}) dure moins de {2} mois : sous « {3} », elle ne compte pas et ne prolonge pas la période de référence.",
		"Periode {0} ({1}) duurt minder dan {2} maanden: onder „{3}” telt ze niet mee en verlengt ze de referteperiode niet.",
		"Zeitraum {0} ({1}) dauert weniger als {2} Monate: unter „{3}“ zählt er nicht und verlängert den Referenzzeitraum nicht.",
		"Period {0} ({1}) lasts less than {2} months: under “{3}” it neither counts nor extends the reference period.",
	},
	"warn.abroad.noconv": {
		"Période {0} : le travail dans le pays {1}, sans convention de sécurité sociale, ne compte pas ; il prolonge la période de référence.",
		"Periode {0}: arbeid in land {1}, zonder socialezekerheidsverdrag, telt niet mee; ze verlengt de referteperiode.",
		"Zeitraum {0}: Arbeit im Land {1}, ohne Sozialversicherungsabkommen, zählt nicht; sie verlängert den Referenzzeitraum.",
		"Period {0}: work in country {1}, which has no social security convention, does not count; it extends the reference period.",
	},
	"warn.abroad.employment": {
		"Période {0} : le travail dans le pays {1} ne compte que s'il est suivi de {2} mois d'occupation salariée en Belgique avant la date de demande (sauf pour un travailleur frontalier) ; ce n'est pas le cas, il prolonge la période de référence (de {3} ans au plus).",
		"Periode {0}: arbeid in land {1} telt enkel mee als ze vóór de aanvraagdatum gevolgd wordt door {2} maanden tewerkstelling in loondienst in België (behalve voor een grensarbeider); dat is niet zo, ze verlengt de referteperiode (met hoogstens {3} jaar).",
		"Zeitraum {0}: Arbeit im Land {1} zählt nur, wenn ihr vor dem Antragsdatum {2} Monate Beschäftigung als Arbeitnehmer in Belgien folgen (außer bei Grenzgängern); das ist nicht der Fall, sie verlängert den Referenzzeitraum (um höchstens {3} Jahre).",
		"Period {0}: work in country {1} counts only when followed by {2} months of Belgian salaried employment before the claim date (unless a frontier worker); it is not, so it extends the reference period (by at most {3} years).",
	},
	"warn.abroad.nationality": {
		"Période {0} : le travail dans le pays {1} ne compte que pour certaines nationalités ; vérifiez la nationalité de la personne.",
		"Periode {0}: arbeid in land {1} telt enkel mee voor bepaalde nationaliteiten; controleer de nationaliteit van de persoon.",
		"Zeitraum {0}: Arbeit im Land {1} zählt nur für bestimmte Staatsangehörigkeiten; prüfen Sie die Staatsangehörigkeit der Person.",
		"Period {0}: work in country {1} counts only for some nationalities; check the person's nationality.",
	},
	"warn.parttime": {
		"Le contrat est à temps partiel (Q < S) : un travailleur à temps partiel volontaire peut aussi être admis sur la base de demi-jours (AR art. 33, réforme de 2025) ; cette voie n'est pas calculée ici.",
		"Het contract is deeltijds (Q < S): een vrijwillig deeltijdse werknemer kan ook toegelaten worden op basis van halve dagen (KB art. 33, hervorming van 2025); die weg wordt hier niet berekend.",
		"Der Vertrag ist eine Teilzeitbeschäftigung (Q < S): ein freiwillig Teilzeitbeschäftigter kann auch auf der Grundlage halber Tage zugelassen werden (KE Art. 33, Reform von 2025); dieser Weg wird hier nicht berechnet.",
		"The contract is part time (Q < S): a voluntary part-time worker may also be admitted on half-days (AR art. 33, 2025 reform); this route is not computed here.",
	},
	"warn.benefits": {
		"Période {0} (allocations de chômage complet) : ces jours ne comptent pas sous « {1} ». Si des allocations ont été payées dans les 3 ans avant la demande, indiquez la date des dernières allocations (réadmission, AR art. 42).",
		"Periode {0} (volledige werkloosheidsuitkeringen): die dagen tellen niet mee onder „{1}”. Als er in de 3 jaar vóór de aanvraag uitkeringen betaald zijn, geef dan de datum van de laatste uitkering op (opnieuw toelaatbaar, KB art. 42).",
		"Zeitraum {0} (Vollarbeitslosengeld): diese Tage zählen unter „{1}“ nicht. Wurden in den 3 Jahren vor dem Antrag Leistungen gezahlt, geben Sie das Datum der letzten Leistungen an (Wiederzulassung, KE Art. 42).",
		"Period {0} (full unemployment benefits): these days do not count under “{1}”. If benefits were paid in the 3 years before the claim, give the last benefit date (readmission, AR art. 42).",
	},
	"warn.unpaid": {
		"Période {0} (congé sans solde) : des jours ne comptent pas. Si l'absence était due à une force majeure, encodez-la comme « force majeure ».",
		"Periode {0} (onbetaald verlof): sommige dagen tellen niet mee. Als de afwezigheid te wijten was aan overmacht, voer ze dan in als „overmacht”.",
		"Zeitraum {0} (unbezahlter Urlaub): einige Tage zählen nicht. War die Abwesenheit durch höhere Gewalt bedingt, erfassen Sie sie als „höhere Gewalt“.",
		"Period {0} (unpaid leave): some of its days do not count. If the absence was due to force majeure, enter it as “force majeure”.",
	},
	"warn.child.nobirth": {
		"Période {0} (éducation d'un enfant) : sans la date de naissance de l'enfant, elle est considérée comme antérieure à son {1}e anniversaire ; indiquez-la pour le vérifier.",
		"Periode {0} (opvoeding van een kind): zonder de geboortedatum van het kind wordt aangenomen dat ze vóór zijn {1}de verjaardag ligt; geef die op om het na te gaan.",
		"Zeitraum {0} (Kindererziehung): ohne das Geburtsdatum des Kindes wird angenommen, dass er vor seinem {1}. Geburtstag liegt; geben Sie es an, um das zu prüfen.",
		"Period {0} (raising a child): without the child's birth date it is assumed to lie before the child's {1}th birthday; give the date to check it.",
	},
	"warn.child.old": {
		"Période {0} (éducation d'un enfant) : elle commence le jour du {1}e anniversaire de l'enfant ({2}) ou après ; sous « {3} », elle ne prolonge pas la période de référence.",
		"Periode {0} (opvoeding van een kind): ze begint op of na de {1}de verjaardag van het kind ({2}); onder „{3}” verlengt ze de referteperiode niet.",
		"Zeitraum {0} (Kindererziehung): er beginnt am oder nach dem {1}. Geburtstag des Kindes ({2}); unter „{3}“ verlängert er den Referenzzeitraum nicht.",
		"Period {0} (raising a child): it starts on or after the child's {1}th birthday ({2}); under “{3}” it does not extend the reference period.",
	},
	"warn.child.short": {
		"Période {0} (éducation d'un enfant) : ses jours avant le {1}e anniversaire de l'enfant ({2}) durent moins de {3} mois ; sous « {4} », elle ne prolonge pas la période de référence.",
		"Periode {0} (opvoeding van een kind): haar dagen vóór de {1}de verjaardag van het kind ({2}) duren minder dan {3} maanden; onder „{4}” verlengt ze de referteperiode niet.",
		"Zeitraum {0} (Kindererziehung): seine Tage vor dem {1}. Geburtstag des Kindes ({2}) dauern weniger als {3} Monate; unter „{4}“ verlängert er den Referenzzeitraum nicht.",
		"Period {0} (raising a child): its days before the child's {1}th birthday ({2}) last less than {3} months; under “{4}” it does not extend the reference period.",
	},
	"warn.pad_missing": {
		"Une personne qui a reçu des allocations a déjà été admise : seuls les jours postérieurs à cette admission comptent. Indiquez la date de l'admission précédente.",
		"Wie uitkeringen ontving, werd al eerder toegelaten: enkel de dagen na die toelating tellen mee. Geef de datum van de vorige toelating op.",
		"Wer Leistungen erhalten hat, wurde bereits zugelassen: nur die Tage nach dieser Zulassung zählen. Geben Sie das Datum der vorigen Zulassung an.",
		"A person who received benefits was admitted before: only the days after that admission count. Give the previous admission date.",
	},
	"warn.nosched": {
		"Période {0} : ses jours ou heures ne peuvent pas être répartis, elle ne compte aucun jour prévu à l'horaire.",
		"Periode {0}: de dagen of uren kunnen niet verdeeld worden, ze heeft geen geplande dag.",
		"Zeitraum {0}: die Tage oder Stunden können nicht verteilt werden, er hat keinen planmäßigen Tag.",
		"Period {0}: its days or hours cannot be spread, it has no scheduled day.",
	},
}
