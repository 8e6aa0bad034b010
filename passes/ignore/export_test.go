package ignore

var ParseForTest = parse
