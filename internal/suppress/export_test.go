package suppress

var ParseForTest = parse
