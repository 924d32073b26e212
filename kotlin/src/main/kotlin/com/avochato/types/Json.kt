package com.avochato.types

/**
 * Free-form JSON as plain JVM values: `null`, `Boolean`, `Long` (whole numbers that fit),
 * `Double`, `String`, `List<Any?>` and `Map<String, Any?>` (in the order the API sent the
 * fields). Custom contact fields, the fields a model does not list (`extra`) and the values
 * the API leaves open (`JsonValue`) come as these; give the same kinds of values back
 * (also `Int`, `Float`, `BigDecimal`, arrays and any `Iterable` or `Map` with `String` keys).
 */
object Json {
    /** Reads JSON text. */
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.end()
        return value
    }

    /** Writes a value as JSON text (an `IllegalArgumentException` for what JSON cannot hold). */
    fun write(value: Any?): String = StringBuilder().also { write(it, value) }.toString()

    private fun write(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is Boolean -> out.append(value)
            is Byte, is Short, is Int, is Long, is java.math.BigInteger -> out.append(value)
            is Float, is Double -> {
                val d = (value as Number).toDouble()
                require(d.isFinite()) { "JSON numbers are finite, got $d" }
                out.append(d.toString())
            }
            is java.math.BigDecimal -> out.append(value.toPlainString())
            is Number -> write(out, value.toDouble())
            is CharSequence -> string(out, value.toString())
            is Char -> string(out, value.toString())
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    require(k is String) { "JSON object keys are strings, got ${k?.javaClass?.name}" }
                    if (!first) out.append(',')
                    first = false
                    string(out, k)
                    out.append(':')
                    write(out, v)
                }
                out.append('}')
            }
            is Iterable<*> -> list(out, value.iterator())
            is Array<*> -> list(out, value.iterator())
            is IntArray -> list(out, value.iterator())
            is LongArray -> list(out, value.iterator())
            is DoubleArray -> list(out, value.iterator())
            is BooleanArray -> list(out, value.iterator())
            else -> throw IllegalArgumentException("not a JSON value: ${value.javaClass.name}")
        }
    }

    private fun list(out: StringBuilder, items: Iterator<*>) {
        out.append('[')
        var first = true
        for (v in items) {
            if (!first) out.append(',')
            first = false
            write(out, v)
        }
        out.append(']')
    }

    private fun string(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c == '\r' -> out.append("\\r")
                c == '\t' -> out.append("\\t")
                c < ' ' -> out.append(String.format("\\u%04x", c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    private class Reader(private val s: String) {
        private var i = 0

        fun end() {
            space()
            if (i != s.length) fail("unexpected text after the value")
        }

        private fun fail(why: String): Nothing = throw IllegalArgumentException("invalid JSON at $i: $why")

        private fun space() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
        }

        fun value(): Any? {
            space()
            if (i >= s.length) fail("unexpected end")
            return when (s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> num()
            }
        }

        private fun word(w: String, v: Any?): Any? {
            if (!s.startsWith(w, i)) fail("unexpected character")
            i += w.length
            return v
        }

        private fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            space()
            if (i < s.length && s[i] == '}') { i++; return m }
            while (true) {
                space()
                if (i >= s.length || s[i] != '"') fail("expected a field name")
                val k = str()
                space()
                if (i >= s.length || s[i] != ':') fail("expected ':'")
                i++
                m[k] = value()
                space()
                if (i >= s.length) fail("unexpected end")
                when (s[i++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> fail("expected ',' or '}'")
                }
            }
        }

        private fun arr(): List<Any?> {
            val l = ArrayList<Any?>()
            i++
            space()
            if (i < s.length && s[i] == ']') { i++; return l }
            while (true) {
                l.add(value())
                space()
                if (i >= s.length) fail("unexpected end")
                when (s[i++]) {
                    ',' -> continue
                    ']' -> return l
                    else -> fail("expected ',' or ']'")
                }
            }
        }

        private fun str(): String {
            val b = StringBuilder()
            i++
            while (true) {
                if (i >= s.length) fail("unterminated string")
                val c = s[i++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> {
                        if (i >= s.length) fail("unterminated string")
                        when (val e = s[i++]) {
                            '"', '\\', '/' -> b.append(e)
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000c')
                            'n' -> b.append('\n')
                            'r' -> b.append('\r')
                            't' -> b.append('\t')
                            'u' -> {
                                if (i + 4 > s.length) fail("bad escape")
                                b.append(s.substring(i, i + 4).toIntOrNull(16)?.toChar() ?: fail("bad escape"))
                                i += 4
                            }
                            else -> fail("bad escape")
                        }
                    }
                    else -> b.append(c)
                }
            }
        }

        private fun num(): Any {
            val start = i
            if (i < s.length && s[i] == '-') i++
            while (i < s.length && (s[i].isDigit() || s[i] in ".eE+-")) i++
            val t = s.substring(start, i)
            if (t.isEmpty() || t == "-") fail("unexpected character")
            val whole = t.none { it == '.' || it == 'e' || it == 'E' }
            return (if (whole) t.toLongOrNull() else null) ?: t.toDoubleOrNull() ?: fail("bad number")
        }
    }
}
