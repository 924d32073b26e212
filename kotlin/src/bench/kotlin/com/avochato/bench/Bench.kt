package com.avochato.bench

import com.avochato.Avochato
import com.avochato.ClientOptions
import com.avochato.contacts
import com.avochato.messages
import com.avochato.types.ListContactsParams
import com.avochato.types.SendMessagesParams
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking

// The JVM side of `make bench`: the SDK (suspend and blocking calls) against
// java.net.http.HttpClient + Jackson on the same loopback server (avochato-mock answering
// from prepared bodies).
//
//     java ... com.avochato.bench.BenchKt calls URL AUTH_ID AUTH_SECRET N   -> JSON on the last line

const val PHONE = "+14155550100"
const val TEXT = "Benchmark message"
/** Warm-up calls per side before measuring: the JIT needs more than the other hosts' 200. */
const val WARM_UP = 2000

class Target(val url: String, val id: String, val secret: String) {
    val sdk = Avochato(ClientOptions(authId = id, authSecret = secret, baseUrl = url))
    private val messages = sdk.messages
    private val contacts = sdk.contacts
    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    private val mapper = ObjectMapper()
    private val sendBody = mapper.writeValueAsString(mapOf("auth_id" to id, "auth_secret" to secret, "phone" to PHONE, "message" to TEXT))
    private val listUri = URI.create(
        "$url/v1/contacts?auth_id=${enc(id)}&auth_secret=${enc(secret)}&limit=100",
    )

    private fun enc(s: String) = URLEncoder.encode(s, Charsets.UTF_8)

    private fun sendRequest() = HttpRequest.newBuilder(URI.create("$url/v1/messages"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(sendBody))
        .build()

    private fun listRequest() = HttpRequest.newBuilder(listUri).GET().build()

    // -- suspend (SDK) and sendAsync + await (raw)
    suspend fun sdkSend() {
        messages.send(SendMessagesParams(phone = PHONE, message = TEXT))
    }

    suspend fun sdkList() {
        check(contacts.list(ListContactsParams(limit = 100u)).items.size == 100)
    }

    suspend fun rawSend() {
        val body = http.sendAsync(sendRequest(), HttpResponse.BodyHandlers.ofByteArray()).await().body()
        mapper.readTree(body)
    }

    suspend fun rawList() {
        val body = http.sendAsync(listRequest(), HttpResponse.BodyHandlers.ofByteArray()).await().body()
        check(mapper.readTree(body)["data"]["contacts"].size() == 100)
    }

    // -- blocking (SDK ...Blocking, raw send)
    fun sdkSendBlocking() {
        messages.sendBlocking(SendMessagesParams(phone = PHONE, message = TEXT))
    }

    fun sdkListBlocking() {
        check(contacts.listBlocking(ListContactsParams(limit = 100u)).items.size == 100)
    }

    fun rawSendBlocking() {
        val body = http.send(sendRequest(), HttpResponse.BodyHandlers.ofByteArray()).body()
        mapper.readTree(body)
    }

    fun rawListBlocking() {
        val body = http.send(listRequest(), HttpResponse.BodyHandlers.ofByteArray()).body()
        val tree: JsonNode = mapper.readTree(body)
        check(tree["data"]["contacts"].size() == 100)
    }
}

fun stats(values: List<Double>): MutableMap<String, Any> {
    val us = values.sorted()
    fun at(q: Double) = us[(Math.ceil(q * us.size).toInt()).coerceIn(1, us.size) - 1]
    return mutableMapOf("median_us" to at(0.5), "p99_us" to at(0.99), "n" to us.size)
}

/** Three rounds of `n` calls a side, the sides alternating in blocks of 100: the middle
 *  round's medians (by ratio), the p99 over every call (as the other hosts' benchmarks). */
suspend fun latency(sdk: suspend () -> Unit, raw: suspend () -> Unit, n: Int): Map<String, Any> {
    for (f in listOf(sdk, raw)) repeat(WARM_UP) { f() }
    val rounds = mutableListOf<Triple<Double, List<Double>, List<Double>>>()
    repeat(3) {
        val s = ArrayList<Double>(n)
        val r = ArrayList<Double>(n)
        while (s.size < n) {
            for ((f, out) in listOf(sdk to s, raw to r)) {
                repeat(100) {
                    val t0 = System.nanoTime()
                    f()
                    out += (System.nanoTime() - t0) / 1000.0
                }
            }
        }
        rounds += Triple((stats(s)["median_us"] as Double) / (stats(r)["median_us"] as Double), s, r)
    }
    rounds.sortBy { it.first }
    val (ratio, midSdk, midRaw) = rounds[1]
    val sdkStats = stats(rounds.flatMap { it.second })
    val rawStats = stats(rounds.flatMap { it.third })
    sdkStats["median_us"] = stats(midSdk)["median_us"]!!
    rawStats["median_us"] = stats(midRaw)["median_us"]!!
    return mapOf("sdk" to sdkStats, "raw" to rawStats, "ratio" to ratio, "round_ratios" to rounds.map { it.first })
}

/** Requests per second with `c` coroutines sharing `n` calls. */
suspend fun throughputSuspend(f: suspend () -> Unit, c: Int, n: Int): Double = kotlinx.coroutines.coroutineScope {
    val t0 = System.nanoTime()
    (0 until c).map { i -> async(Dispatchers.Default) { repeat(n / c + if (i < n % c) 1 else 0) { f() } } }.awaitAll()
    n / ((System.nanoTime() - t0) / 1e9)
}

/** Requests per second with `c` threads sharing `n` calls. */
fun throughputBlocking(f: () -> Unit, c: Int, n: Int): Double {
    val pool = Executors.newFixedThreadPool(c)
    val t0 = System.nanoTime()
    val futures = (0 until c).map { i -> pool.submit { repeat(n / c + if (i < n % c) 1 else 0) { f() } } }
    futures.forEach { it.get() }
    val rate = n / ((System.nanoTime() - t0) / 1e9)
    pool.shutdown()
    pool.awaitTermination(10, TimeUnit.SECONDS)
    return rate
}

fun calls(t: Target, n: Int): Map<String, Any> = runBlocking {
    val latency = linkedMapOf<String, Any>()
    val throughput = linkedMapOf<String, Any>()
    val ops = listOf(
        "messages.send" to listOf<Any>(t::sdkSend, t::rawSend, t::sdkSendBlocking, t::rawSendBlocking),
        "contacts.list" to listOf<Any>(t::sdkList, t::rawList, t::sdkListBlocking, t::rawListBlocking),
    )
    for ((name, fs) in ops) {
        @Suppress("UNCHECKED_CAST")
        val (sdk, raw) = fs[0] as suspend () -> Unit to fs[1] as suspend () -> Unit
        @Suppress("UNCHECKED_CAST")
        val (bSdk, bRaw) = fs[2] as () -> Unit to fs[3] as () -> Unit
        latency["suspend $name"] = latency(sdk, raw, n)
        latency["blocking $name"] = latency({ bSdk() }, { bRaw() }, n)
        for (c in listOf(1, 8, 64)) {
            val runs = List(3) {
                listOf(throughputSuspend(sdk, c, n / 2), throughputSuspend(raw, c, n / 2), throughputBlocking(bSdk, c, n / 2), throughputBlocking(bRaw, c, n / 2))
            }
            fun mid(k: Int) = runs.map { it[k] }.sorted()[1]
            @Suppress("UNCHECKED_CAST")
            (throughput.getOrPut("suspend $name") { linkedMapOf<String, Any>() } as MutableMap<String, Any>)["$c"] =
                mapOf("sdk" to mid(0), "raw" to mid(1), "ratio" to mid(0) / mid(1))
            @Suppress("UNCHECKED_CAST")
            (throughput.getOrPut("blocking $name") { linkedMapOf<String, Any>() } as MutableMap<String, Any>)["$c"] =
                mapOf("sdk" to mid(2), "raw" to mid(3), "ratio" to mid(2) / mid(3))
        }
    }
    mapOf("latency" to latency, "throughput" to throughput, "warm_up" to WARM_UP, "java" to System.getProperty("java.version"))
}

fun main(args: Array<String>) {
    require(args.size >= 5 && args[0] == "calls") { "usage: Bench calls URL AUTH_ID AUTH_SECRET N" }
    val t = Target(args[1], args[2], args[3])
    val result = calls(t, args[4].toInt())
    println(ObjectMapper().writeValueAsString(result))
    t.sdk.close()
}
