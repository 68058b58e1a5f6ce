// Package gogen holds gogen-avro's generated code for the examples' largest
// types, an anchor for resolving decodes: gogen-avro reads every message,
// of its own schema or another writer's, through its VM running a program
// compiled for the (writer, reader) pair.
//
// The code is generated from the examples' .avsc files; regenerate it with
// go generate after changing them.
package gogen

//go:generate go run github.com/actgardner/gogen-avro/v10/cmd/gogen-avro -package squarebot -sources-comment=false squarebot ../../../examples/squarebot/avro/squarebot.message.avsc
//go:generate go run github.com/actgardner/gogen-avro/v10/cmd/gogen-avro -package openedx -sources-comment=false openedx ../../../examples/openedx/avro/org.openedx.learning.CourseEnrollmentChangedV1.avsc
