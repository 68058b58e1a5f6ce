package goname

import "testing"

func TestOf(t *testing.T) {
	for in, want := range map[string]string{
		"order_id":         "OrderID",
		"tracking_ids":     "TrackingIDs",
		"userId":           "UserID",
		"user_id":          "UserID",
		"userIds":          "UserIDs",
		"userIdList":       "UserIDList",
		"idToken":          "IDToken",
		"HTTPServer":       "HTTPServer",
		"myURLs":           "MyURLs",
		"urls":             "URLs",
		"https":            "HTTPS",
		"api_url":          "APIURL",
		"channel-id":       "ChannelID",
		"com.acme.Order":   "ComAcmeOrder",
		"field_00":         "Field00",
		"v2Id":             "V2ID",
		"sha256_id":        "Sha256ID",
		"tips":             "Tips",
		"aids":             "Aids",
		"userid":           "Userid",
		"ID":               "ID",
		"IDs":              "IDs",
		"9lives":           "X9lives",
		"_":                "X",
		"":                 "X",
		"ÉtéId":            "ÉtéID",
		"message_type":     "MessageType",
		"SquarebotMessage": "SquarebotMessage",
	} {
		if got := Of(in); got != want {
			t.Errorf("Of(%q) = %q, want %q", in, got, want)
		}
	}
}
