package interop_test

import (
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// The canonical form of a value, which the Go, Node and Python sides each
// compute from what they decoded (or encode from), is JSON (interop/README.md):
//
//   - int and long as integers, their logical types too: date in days,
//     time-millis and timestamp-millis (local too) in milliseconds,
//     time-micros and timestamp-micros in microseconds;
//   - float and double as numbers; bytes and fixed as lowercase hex;
//   - decimal as a string with exactly scale digits after the point;
//   - string, uuid and enum as strings; arrays, maps and records as JSON;
//   - a union as null, or {"branch": value} with the branch's type name
//     (its full name for a named type), as Avro's JSON encoding has it.

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	ratPtrType   = reflect.TypeFor[*big.Rat]()
	uuidType     = reflect.TypeFor[avrobin.UUID]()
	textMarshal  = reflect.TypeFor[encoding.TextMarshaler]()
)

// canon returns the canonical form of the Go value v of a generated type
// with schema n. It is strict about Go kinds, so that it can tell union
// branches apart.
func canon(n *node, v reflect.Value) (any, error) {
	mismatch := func() (any, error) {
		return nil, fmt.Errorf("%s value of Go type %s", n.kind, v.Type())
	}
	if n.kind != "union" && v.Kind() == reflect.Pointer && v.Type() != ratPtrType {
		if v.IsNil() {
			return mismatch()
		}
		v = v.Elem()
	}
	switch n.kind {
	case "null":
		return mismatch()
	case "boolean":
		if v.Kind() != reflect.Bool {
			return mismatch()
		}
		return v.Bool(), nil
	case "int", "long":
		switch n.logical {
		case "date":
			if v.Type() != timeType {
				return mismatch()
			}
			return floorDiv(v.Interface().(time.Time).Unix(), 86400), nil
		case "time-millis", "time-micros":
			if v.Type() != durationType {
				return mismatch()
			}
			if n.logical == "time-millis" {
				return int64(v.Interface().(time.Duration) / time.Millisecond), nil
			}
			return int64(v.Interface().(time.Duration) / time.Microsecond), nil
		case "timestamp-millis", "local-timestamp-millis", "timestamp-micros", "local-timestamp-micros":
			if v.Type() != timeType {
				return mismatch()
			}
			t := v.Interface().(time.Time)
			if strings.HasSuffix(n.logical, "millis") {
				return t.UnixMilli(), nil
			}
			return t.UnixMicro(), nil
		}
		if (n.kind == "int" && v.Kind() != reflect.Int32) || (n.kind == "long" && v.Kind() != reflect.Int64) || v.Type() == durationType {
			return mismatch()
		}
		return v.Int(), nil
	case "float":
		if v.Kind() != reflect.Float32 {
			return mismatch()
		}
		return v.Float(), nil
	case "double":
		if v.Kind() != reflect.Float64 {
			return mismatch()
		}
		return v.Float(), nil
	case "bytes", "fixed":
		if n.logical == "decimal" {
			if v.Type() != ratPtrType || v.IsNil() {
				return mismatch()
			}
			return decimalString(v.Interface().(*big.Rat), n.scale)
		}
		if n.kind == "bytes" && v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return hex.EncodeToString(v.Bytes()), nil
		}
		if n.kind == "fixed" && v.Kind() == reflect.Array && v.Type().Elem().Kind() == reflect.Uint8 && v.Len() == n.size {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return hex.EncodeToString(b), nil
		}
		return mismatch()
	case "string":
		switch {
		case v.Type() == uuidType:
			return v.Interface().(avrobin.UUID).String(), nil
		case v.Kind() == reflect.String:
			return v.String(), nil
		case v.Type().Implements(textMarshal):
			b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
			return string(b), err
		}
		return mismatch()
	case "enum":
		if v.Kind() != reflect.Int32 {
			return mismatch()
		}
		i := v.Int()
		if i < 0 || int(i) >= len(n.symbols) {
			return nil, fmt.Errorf("enum %s value %d", n.name, i)
		}
		return n.symbols[i], nil
	case "array":
		if v.Kind() != reflect.Slice {
			return mismatch()
		}
		out := []any{}
		for i := range v.Len() {
			x, err := canon(n.items, v.Index(i))
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out = append(out, x)
		}
		return out, nil
	case "map":
		if v.Kind() != reflect.Map {
			return mismatch()
		}
		out := map[string]any{}
		for it := v.MapRange(); it.Next(); {
			x, err := canon(n.values, it.Value())
			if err != nil {
				return nil, fmt.Errorf("[%q]: %w", it.Key().String(), err)
			}
			out[it.Key().String()] = x
		}
		return out, nil
	case "record":
		if v.Kind() != reflect.Struct {
			return mismatch()
		}
		out := map[string]any{}
		for _, f := range n.fields {
			fv, ok := fieldByTag(v, f.name)
			if !ok {
				return mismatch()
			}
			x, err := canon(f.typ, fv)
			if err != nil {
				return nil, fmt.Errorf(".%s: %w", f.name, err)
			}
			out[f.name] = x
		}
		return out, nil
	case "union":
		return canonUnion(n, v)
	}
	return nil, fmt.Errorf("unknown schema kind %q", n.kind)
}

func canonUnion(n *node, v reflect.Value) (any, error) {
	nullable := slices.ContainsFunc(n.branches, func(b *node) bool { return b.kind == "null" })
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		if v.IsNil() {
			if !nullable {
				return nil, fmt.Errorf("nil for a union without null")
			}
			return nil, nil
		}
	}
	inner := v
	if v.Kind() == reflect.Interface {
		// A generated union: a branch struct holding Value.
		inner = v.Elem()
		if inner.Kind() == reflect.Struct {
			if val := inner.FieldByName("Value"); val.IsValid() {
				inner = val
			}
		}
	}
	var errs []string
	for _, b := range n.branches {
		if b.kind == "null" {
			continue
		}
		x, err := canon(b, inner)
		if err == nil {
			return map[string]any{b.branchName(): x}, nil
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("no union branch takes it: %s", strings.Join(errs, "; "))
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("avro"), ","); tag == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// decimalString renders r with scale digits after the point.
func decimalString(r *big.Rat, scale int) (string, error) {
	unscaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	if !unscaled.IsInt() {
		return "", fmt.Errorf("decimal %s has more than %d digits after the point", r.RatString(), scale)
	}
	return unscaledString(unscaled.Num(), scale), nil
}

func unscaledString(u *big.Int, scale int) string {
	s := new(big.Int).Abs(u).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if u.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// gen makes a random value of Go type t for schema n. Interface unions are
// left nil: the caller sets them.
type generator struct {
	r *rand.Rand
	// text makes the text of a Go type that is a string in Avro through
	// encoding.TextUnmarshaler.
	text map[reflect.Type]func(r *rand.Rand) string
}

// maxSafe bounds the longs the tests send: avsc reads a long exactly only up
// to about 2^52 in magnitude (zigzag-decoded in float64 arithmetic), and
// refuses larger ones.
const maxSafe = 1<<52 - 1

func (g *generator) gen(n *node, t reflect.Type) (reflect.Value, error) {
	r := g.r
	v := reflect.New(t).Elem()
	if n.kind == "union" {
		switch t.Kind() {
		case reflect.Interface:
			return v, nil
		case reflect.Pointer, reflect.Slice, reflect.Map:
			if r.IntN(3) == 0 {
				return v, nil
			}
		}
		var inner *node
		for _, b := range n.branches {
			if b.kind != "null" {
				inner = b
			}
		}
		return g.gen(inner, t)
	}
	if t.Kind() == reflect.Pointer && t != ratPtrType {
		e, err := g.gen(n, t.Elem())
		if err != nil {
			return v, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(e)
		return p, nil
	}
	switch n.kind {
	case "boolean":
		v.SetBool(r.IntN(2) == 0)
	case "int", "long":
		switch n.logical {
		case "date":
			// Within Python's datetime.date (years 1 to 9999).
			days := r.Int64N(2932896+719162) - 719162
			v.Set(reflect.ValueOf(time.Unix(days*86400, 0).UTC()))
		case "time-millis":
			v.SetInt(int64(time.Duration(r.Int64N(86400000)) * time.Millisecond))
		case "time-micros":
			v.SetInt(int64(time.Duration(r.Int64N(86400000000)) * time.Microsecond))
		case "timestamp-millis", "local-timestamp-millis":
			// Python's datetime reaches from year 1 to 9999.
			ms := r.Int64N(253402300799000+62135596800000) - 62135596800000
			v.Set(reflect.ValueOf(time.UnixMilli(ms).UTC()))
		case "timestamp-micros", "local-timestamp-micros":
			us := r.Int64N(2*maxSafe) - maxSafe
			v.Set(reflect.ValueOf(time.UnixMicro(us).UTC()))
		default:
			if n.kind == "int" {
				v.SetInt(int64(pick(r, []int32{0, 1, -1, math.MaxInt32, math.MinInt32}, int32(r.Uint32()))))
			} else {
				v.SetInt(pick(r, []int64{0, -1, maxSafe, -maxSafe}, r.Int64N(2*maxSafe)-maxSafe))
			}
		}
	case "float":
		v.SetFloat(float64(pick(r, []float32{0, 1.5, math.MaxFloat32, math.SmallestNonzeroFloat32, -3.25e-20}, float32(r.NormFloat64()*1000))))
	case "double":
		v.SetFloat(pick(r, []float64{0, math.MaxFloat64, math.SmallestNonzeroFloat64, -1e300, 0.1}, r.NormFloat64()*1e6))
	case "bytes", "fixed":
		if n.logical == "decimal" {
			digits := min(n.prec, 18)
			lim := int64(math.Pow10(digits)) - 1
			u := pick(r, []int64{0, lim, -lim, 1, -1}, r.Int64N(2*lim+1)-lim)
			rat := new(big.Rat).SetFrac(big.NewInt(u), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.scale)), nil))
			v.Set(reflect.ValueOf(rat))
			break
		}
		b := make([]byte, n.size)
		if n.kind == "bytes" {
			b = make([]byte, r.IntN(17))
		}
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		if n.kind == "bytes" {
			v.SetBytes(b)
		} else {
			reflect.Copy(v, reflect.ValueOf(b))
		}
	case "string":
		switch {
		case t == uuidType:
			var u avrobin.UUID
			for i := range u {
				u[i] = byte(r.UintN(256))
			}
			u[6] = u[6]&0x0f | 0x40
			u[8] = u[8]&0x3f | 0x80
			v.Set(reflect.ValueOf(u))
		case t.Kind() == reflect.String:
			v.SetString(randString(r))
		default:
			mk := g.text[t]
			if mk == nil {
				return v, fmt.Errorf("no text generator for %s", t)
			}
			if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(mk(r))); err != nil {
				return v, err
			}
		}
	case "enum":
		v.SetInt(int64(r.IntN(len(n.symbols))))
	case "array":
		k := r.IntN(4)
		v = reflect.MakeSlice(t, 0, k)
		for range k {
			e, err := g.gen(n.items, t.Elem())
			if err != nil {
				return v, err
			}
			v = reflect.Append(v, e)
		}
	case "map":
		v = reflect.MakeMap(t)
		for range r.IntN(4) {
			e, err := g.gen(n.values, t.Elem())
			if err != nil {
				return v, err
			}
			v.SetMapIndex(reflect.ValueOf(randString(r)).Convert(t.Key()), e)
		}
	case "record":
		for _, f := range n.fields {
			fv, ok := fieldByTag(v, f.name)
			if !ok {
				return v, fmt.Errorf("%s has no field %s", t, f.name)
			}
			x, err := g.gen(f.typ, fv.Type())
			if err != nil {
				return v, fmt.Errorf("%s.%s: %w", n.name, f.name, err)
			}
			fv.Set(x)
		}
	default:
		return v, fmt.Errorf("cannot generate %s", n.kind)
	}
	return v, nil
}

// pick returns one of the edge values one time in four, else x.
func pick[T any](r *rand.Rand, edges []T, x T) T {
	if r.IntN(4) == 0 {
		return edges[r.IntN(len(edges))]
	}
	return x
}

// randString mixes ASCII, escapes and characters of several UTF-8 lengths.
func randString(r *rand.Rand) string {
	parts := []string{"a", "Z", "0", " ", "é", "ß", "日本", "🎉", "\"", "\\", "\n", "\t", "/", "+", "ü"}
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// normalize turns a decoded JSON tree's json.Numbers into int64 or float64,
// so that trees from any side compare with reflect.DeepEqual-like rules.
func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= maxSafe {
			return int64(v)
		}
		return v
	case int:
		return int64(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = normalize(x)
		}
		return out
	}
	return v
}

// diff lists where got differs from want, by field path; both are
// normalized canonical trees.
func diff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))}
		}
		var out []string
		for _, k := range slices.Sorted(mapKeys(w)) {
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing, want %s", path, k, show(w[k])))
				continue
			}
			out = append(out, diff(path+"."+k, w[k], gv)...)
		}
		for _, k := range slices.Sorted(mapKeys(g)) {
			if _, ok := w[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(g[k])))
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))}
		}
		var out []string
		for i := range w {
			out = append(out, diff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	case float64:
		g, ok := got.(float64)
		if !ok {
			if gi, isInt := got.(int64); isInt {
				g, ok = float64(gi), true
			}
		}
		if !ok || g != w {
			return []string{fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))}
		}
		return nil
	case int64:
		if g, ok := got.(float64); ok && g == float64(w) {
			return nil
		}
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))}
	}
	return nil
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
