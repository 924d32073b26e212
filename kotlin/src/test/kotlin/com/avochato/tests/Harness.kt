package com.avochato.tests

import com.avochato.ClientOptions
import com.avochato.types.Json
import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit

const val SECRET = "sk_kt_test_5f4e3d2c1b_DO_NOT_LEAK"
const val AUTH_ID = "AC_kt_1"

/** The avochato-mock binary on a free loopback port, and its control routes. */
class Mock(binary: String) : AutoCloseable {
    private val process: Process = ProcessBuilder(binary, "--port", "0", "--auth-id", AUTH_ID, "--auth-secret", SECRET)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start()
    val url: String
    private val http = HttpClient.newHttpClient()

    init {
        val first = BufferedReader(InputStreamReader(process.inputStream)).readLine()
            ?: error("avochato-mock did not start")
        check(first.startsWith("listening on ")) { first }
        url = first.removePrefix("listening on ")
    }

    fun control(method: String, path: String, body: Any? = null): Any? {
        val publisher = if (body == null) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofString(Json.write(body))
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .method(method, publisher)
            .header("content-type", "application/json")
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "$method $path: ${response.statusCode()} ${response.body()}" }
        return Json.parse(response.body())
    }

    fun reset() {
        control("POST", "/__mock/reset")
    }

    fun fault(vararg fields: Pair<String, Any?>) {
        control("POST", "/__mock/faults", mapOf(*fields))
    }

    /** The requests the mock received (by method and path, when given). */
    fun requests(method: String? = null, path: String? = null): List<Any?> {
        val q = listOfNotNull(method?.let { "method=$it" }, path?.let { "path=$it" }).joinToString("&")
        val answer = control("GET", "/__mock/requests?$q") as Map<*, *>
        return answer["requests"] as List<Any?>
    }

    fun options(
        authSecret: String = SECRET,
        timeout: java.time.Duration? = null,
        maxRetries: Int? = null,
        maxRetryWait: java.time.Duration? = null,
    ) = ClientOptions(
        authId = AUTH_ID,
        authSecret = authSecret,
        baseUrl = url,
        timeout = timeout,
        maxRetries = maxRetries,
        maxRetryWait = maxRetryWait,
    )

    override fun close() {
        process.destroy()
        process.waitFor(10, TimeUnit.SECONDS)
    }
}

/** A small test runner: each test is named, runs once, and failures are listed at the end. */
class Runner {
    private var passed = 0
    private val failed = mutableListOf<String>()
    private val only = System.getenv("AVOCHATO_KOTLIN_TEST")

    fun test(name: String, body: () -> Unit) {
        if (only != null && !name.contains(only)) return
        val start = System.nanoTime()
        try {
            body()
            passed++
            println("ok   $name (${(System.nanoTime() - start) / 1_000_000} ms)")
        } catch (t: Throwable) {
            failed += name
            println("FAIL $name")
            t.printStackTrace(System.out)
        }
    }

    /** Prints `N passed, N failed` and returns whether all passed. */
    fun finish(): Boolean {
        for (f in failed) println("failed: $f")
        println("kotlin: $passed passed, ${failed.size} failed")
        return failed.isEmpty()
    }
}

fun expect(condition: Boolean, message: () -> String = { "expectation failed" }) {
    if (!condition) throw AssertionError(message())
}

fun <T> expectEqual(expected: T, actual: T, what: String = "") {
    if (expected != actual) throw AssertionError("$what: expected <$expected>, got <$actual>")
}

/** Runs `call`, expecting an exception of type [E]; returns it. */
inline fun <reified E : Throwable> expectThrows(call: () -> Unit): E {
    try {
        call()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got $e", e)
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing was thrown")
}

/** Asserts that none of the texts contains the secret. */
fun expectNoSecret(vararg values: Any?) {
    for (v in values) {
        val text = v.toString() + ((v as? Throwable)?.message ?: "")
        expect(!text.contains(SECRET)) { "the secret leaked: $text" }
    }
}

/** The workspace root (the tests read the reference's operation list from it). */
fun root(): File = File(System.getProperty("avochato.root") ?: ".").absoluteFile
