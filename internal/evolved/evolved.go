// Package evolved holds the schemas of the examples' message types as the
// versions before and after them write them, the writers that a rolling
// deploy meets: runtime/resolve's tests and bench/'s decode-older and
// decode-newer rows read the same data.
package evolved

// Writers of squarebot.message one version behind and one ahead of the
// generated type, as a rolling deploy meets them.
const (
	// SquarebotOlder has no "user" (the reader fills in its default, null),
	// an enum without "app_home", and message_id as bytes (bytes -> string).
	SquarebotOlder = `{"type":"record","name":"message","namespace":"squarebot","fields":[` +
		`{"name":"channel_type","type":{"type":"enum","name":"ChannelType","symbols":["channel","group","im","mpim"],"default":"channel"}},` +
		`{"name":"channel_id","type":"string"},` +
		`{"name":"message_type","type":{"type":"enum","name":"MessageType","symbols":["message","app_mention"],"default":"message"}},` +
		`{"name":"message_id","type":"bytes"},` +
		`{"name":"message","type":"string"}]}`
	// SquarebotNewer adds "thread_ts" and "reactions" (which the reader
	// skips), moves "message" first, and adds the enum symbol "huddle",
	// which the reader reads as its default, channel.
	SquarebotNewer = `{"type":"record","name":"message","namespace":"squarebot","fields":[` +
		`{"name":"message","type":"string"},` +
		`{"name":"user","type":["null","string"],"default":null},` +
		`{"name":"channel_type","type":{"type":"enum","name":"ChannelType","symbols":["channel","group","im","mpim","app_home","huddle"],"default":"channel"}},` +
		`{"name":"channel_id","type":"string"},` +
		`{"name":"thread_ts","type":["null","string"],"default":null},` +
		`{"name":"message_type","type":{"type":"enum","name":"MessageType","symbols":["message","app_mention"],"default":"message"}},` +
		`{"name":"message_id","type":"string"},` +
		`{"name":"reactions","type":{"type":"array","items":"string"},"default":[]}]}`
)

// Writers of the Open edX enrollment event one version behind and one
// ahead of the generated type.
const (
	// OpenedxOlder has no "name" in UserPersonalData and no "end" in
	// CourseData (the reader fills in their defaults), the user id as an
	// int (int -> long), and an enum without its last two symbols.
	OpenedxOlder = `{"type":"record","name":"CourseEnrollmentChangedV1","namespace":"org.openedx.learning","fields":[{"name":"enrollment","type":{"type":"record","name":"CourseEnrollmentData","fields":[` +
		`{"name":"user","type":{"type":"record","name":"UserData","fields":[{"name":"id","type":"int"},{"name":"is_active","type":"boolean"},` +
		`{"name":"pii","type":{"type":"record","name":"UserPersonalData","fields":[{"name":"username","type":"string"},{"name":"email","type":"string"}]}}]}},` +
		`{"name":"course","type":{"type":"record","name":"CourseData","fields":[{"name":"course_key","type":"string"},{"name":"display_name","type":"string"},` +
		`{"name":"start","type":["null",{"type":"long","logicalType":"timestamp-micros"}],"default":null}]}},` +
		`{"name":"mode","type":{"type":"enum","name":"EnrollmentMode","symbols":["audit","verified","honor","professional","no_id_professional","masters","credit"],"default":"audit"},"default":"audit"},` +
		`{"name":"is_active","type":"boolean","default":true},` +
		`{"name":"creation_date","type":{"type":"long","logicalType":"timestamp-micros"}},` +
		`{"name":"created_by","type":["null","UserData"],"default":null}]}}]}`
	// OpenedxNewer adds fields that the reader skips (date_joined, locale,
	// org, source), reorders CourseData, and adds the enum symbol
	// "audit_plus", which the reader reads as its default, unknown.
	OpenedxNewer = `{"type":"record","name":"CourseEnrollmentChangedV1","namespace":"org.openedx.learning","fields":[{"name":"enrollment","type":{"type":"record","name":"CourseEnrollmentData","fields":[` +
		`{"name":"user","type":{"type":"record","name":"UserData","fields":[{"name":"id","type":"long"},` +
		`{"name":"date_joined","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},{"name":"is_active","type":"boolean"},` +
		`{"name":"pii","type":{"type":"record","name":"UserPersonalData","fields":[{"name":"locale","type":"string","default":"en"},` +
		`{"name":"username","type":"string"},{"name":"email","type":"string"},{"name":"name","type":"string","default":""}]}}]}},` +
		`{"name":"course","type":{"type":"record","name":"CourseData","fields":[{"name":"display_name","type":"string"},{"name":"course_key","type":"string"},` +
		`{"name":"org","type":"string","default":""},` +
		`{"name":"end","type":["null",{"type":"long","logicalType":"timestamp-micros"}],"default":null},` +
		`{"name":"start","type":["null",{"type":"long","logicalType":"timestamp-micros"}],"default":null}]}},` +
		`{"name":"mode","type":{"type":"enum","name":"EnrollmentMode","symbols":["audit","verified","honor","professional","no_id_professional","masters","credit","executive_education","unknown","audit_plus"],"default":"unknown"},"default":"audit"},` +
		`{"name":"is_active","type":"boolean","default":true},` +
		`{"name":"creation_date","type":{"type":"long","logicalType":"timestamp-micros"}},` +
		`{"name":"created_by","type":["null","UserData"],"default":null},` +
		`{"name":"source","type":"string","default":"lms"}]}}]}`
)
