package calc

// ContractScheduledDays counts the contract's scheduled days from its
// start to end, both included: the days its schedule weighs (RULES.md §3),
// legal holidays and event days included (§12.16), as
// Result.ContractScheduledDays counts them up to calc's own end. An ONEM
// agent who corrects the end date gets from it the days to work. ok is
// false when the start, the days per week or end cannot be read.
func ContractScheduledDays(c *Case, end string) (int, bool) {
	k := &checker{}
	start, ok1 := parseDate(c.Contract.Start)
	last, ok2 := parseDate(end)
	d := k.dpw(c.Contract.DaysPerWeek, "contract", 5)
	if !ok1 || !ok2 || len(k.errs) > 0 {
		return 0, false
	}
	return countSched(start, last, schedMask(d)), true
}
