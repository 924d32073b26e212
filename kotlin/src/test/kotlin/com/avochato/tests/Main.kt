package com.avochato.tests

import com.avochato.*
import com.avochato.types.*
import java.io.File
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** The operations a scenario called, as `resource.method`. */
class Seen {
    val names = mutableSetOf<String>()
    suspend fun <T> op(name: String, call: suspend () -> T): T {
        names += name
        return call()
    }
}

/** Every operation once, with suspend calls (the Python and JS hosts run the same scenario). */
suspend fun scenario(c: Avochato, mock: Mock): Set<String> {
    val s = Seen()
    val now = System.currentTimeMillis() / 1000.0

    expectEqual(listOf("second-inbox", "test-account"), s.op("accounts.list") { c.accounts.list() }.items.map { it.subdomain }.sorted())
    expectEqual(1, s.op("accounts.fetch") { c.accounts.fetch(FetchAccountsParams(ids = listOf("second-inbox", "nope"), page = 1u)) }.items.size)
    val me = s.op("accounts.whoami") { c.accounts.whoami() }
    expectEqual("test-account", me.account.subdomain)
    expect(me.createdAt != null)
    expectEqual("second-inbox", c.accounts.whoami(CallOptions(subdomain = "second-inbox")).account.subdomain)
    c.withSubdomain("second-inbox").use { expectEqual("second-inbox", it.verify().account.subdomain) }

    val bob = s.op("contacts.upsert") {
        c.contacts.upsert(UpsertContactsParams(phone = "(415) 555-3333", name = "Bob", tags = listOf("red"), customFields = mapOf("favorite_color" to "blue")))
    }
    expectEqual("+14155553333", bob.phone)
    expectEqual(mapOf<String, Any?>("favorite_color" to "blue"), bob.customFields)
    val many = s.op("contacts.upsertMany") {
        c.contacts.upsertMany(UpsertManyContactsParams(contacts = listOf(ContactInput(phone = "+14155550001", name = "Alice"), ContactInput(phone = "+14155550002", name = "Carol"))))
    }
    expectEqual(listOf<String?>("Carol"), many.map { it.name })
    expectEqual(1, s.op("contacts.fetch") { c.contacts.fetch(FetchContactsParams(ids = listOf(bob.id, "missing"))) }.items.size)
    val first = s.op("contacts.list") { c.contacts.list(ListContactsParams(limit = 2u)) }
    expectEqual(2, first.items.size)
    val rest = s.op("contacts.paginate") { c.contacts.paginate(PaginateContactsParams(afterPage = first.nextPage, limit = 2u)) }
    expect(rest.items.size == 1 && rest.nextPage == null) { "the last page: $rest" }
    expectEqual(2, s.op("contacts.search") { c.contacts.search(SearchContactsParams(query = "name:Alice OR name:Bob")) }.items.size)
    expectEqual("name:Carol", s.op("contacts.removeAll") { c.contacts.removeAll(RemoveAllContactsParams(query = "name:Carol")) }.query)

    s.op("tags.addByPhone") { c.tags.addByPhone(AddByPhoneTagsParams(phone = "+14155550001", tag = "vip")) }
    s.op("tags.addToContacts") { c.tags.addToContacts(AddToContactsTagsParams(ids = listOf(bob.id), tag = "newsletter")) }
    val tags = s.op("tags.list") { c.tags.list() }
    expectEqual(listOf("newsletter", "red", "vip"), tags.items.map { it.name })
    expectEqual("vip", tags.lastKey)
    s.op("tags.removeFromContacts") { c.tags.removeFromContacts(RemoveFromContactsTagsParams(ids = listOf(bob.id), tag = "newsletter")) }
    s.op("tags.removeByPhone") { c.tags.removeByPhone(RemoveByPhoneTagsParams(phone = "+14155550001", tag = "vip")) }

    val sent = s.op("messages.send") {
        c.messages.send(SendMessagesParams(phone = "+14155557777", message = "Hello from Kotlin", markAddressed = true, from = "+15105551234"))
    }
    expect(sent.direction == "out" && sent.from == "+15105551234") { "$sent" }
    expectEqual(sent, s.op("messages.get") { c.messages.get(GetMessagesParams(id = sent.eventId)) })
    val later = now + 7200
    val s1 = s.op("messages.schedule") { c.messages.schedule(ScheduleMessagesParams(phone = "+14155557777", message = "Reminder", scheduledFor = later)) }
    val s2 = c.messages.schedule(ScheduleMessagesParams(phone = "+14155557777", message = "Later", scheduledFor = later + 60))
    expectEqual(2, s.op("messages.searchScheduled") { c.messages.searchScheduled() }.items.size)
    expect(s.op("messages.cancel") { c.messages.cancel(CancelMessagesParams(id = s2.eventId)) }.aborted)
    expectEqual(listOf(s1.eventId), s.op("messages.searchScheduledUncancelled") { c.messages.searchScheduledUncancelled() }.items.map { it.eventId })
    expectEqual(1, s.op("messages.searchScheduledByDate") {
        c.messages.searchScheduledByDate(SearchScheduledByDateMessagesParams(scheduledFor = TimeRange(from = later - 1, to = later + 1)))
    }.items.size)
    val chat = s.op("messages.sendLiveChat") { c.messages.sendLiveChat(SendLiveChatMessagesParams(phone = "avochato:c:XXXX-YYYY-ZZZZ", message = "Hi chat")) }
    expectEqual("avochato", chat.carrier)
    expectEqual(2, s.op("messages.list") { c.messages.list() }.items.size)
    expectEqual(1, s.op("messages.search") { c.messages.search(SearchMessagesParams(query = "Kotlin", direction = Direction.OUT)) }.items.size)
    expectEqual(2, s.op("messages.searchByTimestamp") {
        c.messages.searchByTimestamp(SearchByTimestampMessagesParams(createdAt = TimeRange(from = now - 60, to = now + 600)))
    }.items.size)

    val ticket = sent.ticketId!!
    expect((s.op("tickets.list") { c.tickets.list() }.totalCount ?: 0) >= 2)
    expectEqual(1, s.op("tickets.fetch") { c.tickets.fetch(FetchTicketsParams(ids = listOf(ticket, "nope"))) }.items.size)
    expectEqual("Pending", s.op("tickets.updateStatus") { c.tickets.updateStatus(UpdateStatusTicketsParams(ids = listOf(ticket), status = TicketStatus.PENDING)) }[0].status)
    val teammate = c.users.list().items.first { it.email == "teammate@example.com" }
    expectEqual(teammate.id, s.op("tickets.assign") { c.tickets.assign(AssignTicketsParams(ids = listOf(ticket), userId = teammate.id)) }[0].userId)
    expect(s.op("tickets.assignByEmail") { c.tickets.assignByEmail(AssignByEmailTicketsParams(ids = listOf(ticket), userEmail = "alice@example.com")) }[0].userId != teammate.id)
    expectEqual(null, s.op("tickets.unassign") { c.tickets.unassign(UnassignTicketsParams(ids = listOf(ticket))) }[0].userId)
    expect(s.op("tickets.autoassign") { c.tickets.autoassign(AutoassignTicketsParams(ids = listOf(ticket))) }[0].userId != null)
    expect(s.op("tickets.setUnaddressed") { c.tickets.setUnaddressed(SetUnaddressedTicketsParams(ids = listOf(ticket), unaddressed = true)) }[0].unaddressed)
    expectEqual("Closed", s.op("tickets.close") { c.tickets.close(CloseTicketsParams(ids = listOf(ticket))) }[0].status)
    expectEqual(1, s.op("tickets.search") { c.tickets.search(SearchTicketsParams(query = "status:Closed")) }.items.size)
    val again = c.messages.send(SendMessagesParams(phone = "+14155557777", message = "Back"))
    expectEqual(listOf(ticket), s.op("tickets.previous") { c.tickets.previous(PreviousTicketsParams(id = again.ticketId!!)) }.map { it.id })

    val e1 = s.op("events.addToContact") { c.events.addToContact(AddToContactEventsParams(id = bob.id, eventType = "sale", revenue = 99.99)) }
    expect(e1.eventType == "sale" && e1.revenue == 99.99) { "$e1" }
    s.op("events.addByPhone") { c.events.addByPhone(AddByPhoneEventsParams(phone = "+14155553333", eventType = "click")) }
    s.op("events.addToTicket") { c.events.addToTicket(AddToTicketEventsParams(id = e1.ticketId!!, eventType = "visit")) }
    val stream = s.op("events.fetch") { c.events.fetch(FetchEventsParams(ids = listOf(ticket, e1.ticketId!!))) }
    val kinds = stream.items.map { it::class.simpleName }.toSet()
    expect(kinds.containsAll(setOf("CustomEvent", "StatusChange", "OwnerChange", "SmsMessage", "PendingMessage"))) { "$kinds" }

    val draft = s.op("broadcasts.create") {
        c.broadcasts.create(CreateBroadcastsParams(message = "Sale!", name = "Promo", viaTags = listOf("red"), viaPhoneNumbers = listOf("5105550009")))
    }
    expectEqual("draft", draft.status)
    s.op("broadcasts.update") { c.broadcasts.update(UpdateBroadcastsParams(id = draft.id, name = "Promo 2", viaField = FieldMatch(field = "name", value = "Alice"))) }
    expectEqual(3L, s.op("broadcasts.audienceCount") { c.broadcasts.audienceCount(AudienceCountBroadcastsParams(id = draft.id)) }.count)
    expectEqual("completed", s.op("broadcasts.publish") { c.broadcasts.publish(PublishBroadcastsParams(id = draft.id, asap = true)) }.status)
    expectEqual(3L, s.op("broadcasts.fetch") { c.broadcasts.fetch(FetchBroadcastsParams(ids = listOf(draft.id))) }.items[0].delivered)
    expectEqual(1, s.op("broadcasts.list") { c.broadcasts.list() }.items.size)

    expectEqual(listOf<String?>("one", "two"), s.op("campaigns.list") { c.campaigns.list() }.map { it.key })
    expectEqual(1, s.op("campaigns.fetch") { c.campaigns.fetch(FetchCampaignsParams(ids = listOf("one"))) }.items.size)
    val phones = listOf("+15555550101", "+15555550102", "+15555550103", "+15555550104")
    mock.control("POST", "/__mock/campaigns/enroll", mapOf("key" to "one", "phones" to phones))
    mock.control("POST", "/__mock/campaigns/enroll", mapOf("key" to "two", "phones" to phones))
    suspend fun pending() = c.messages.searchScheduledUncancelled().items.size
    val before = pending()
    s.op("campaigns.removeContact") { c.campaigns.removeContact(RemoveContactCampaignsParams(id = listOf("one"), phone = phones[0])) }
    s.op("campaigns.removeContactRecursively") { c.campaigns.removeContactRecursively(RemoveContactRecursivelyCampaignsParams(id = listOf("one"), phone = phones[1])) }
    s.op("campaigns.removeContacts") { c.campaigns.removeContacts(RemoveContactsCampaignsParams(id = listOf("two"), contacts = phones.drop(2))) }
    s.op("campaigns.removeAllContacts") { c.campaigns.removeAllContacts(RemoveAllContactsCampaignsParams(id = listOf("one"))) }
    expectEqual(before - 7, pending())

    val added = s.op("users.add") { c.users.add(AddUsersParams(email = "new@example.com", role = Role.MEMBER, name = "New")) }
    expectEqual(added.id, s.op("users.get") { c.users.get(GetUsersParams(email = "new@example.com")) }.id)
    expectEqual(1, s.op("users.accounts") { c.users.accounts(AccountsUsersParams(id = added.id)) }.size)
    expectEqual("manager", s.op("users.updateRole") { c.users.updateRole(UpdateRoleUsersParams(id = added.id, role = Role.MANAGER)) }.role)
    expectEqual(false, s.op("users.disable") { c.users.disable(DisableUsersParams(id = added.id)) }.enabled)
    expectEqual(true, s.op("users.enable") { c.users.enable(EnableUsersParams(id = added.id)) }.enabled)
    expectEqual(added.id, s.op("users.setMfaPhone") { c.users.setMfaPhone(SetMfaPhoneUsersParams(id = added.id, phone = "+14155559876")) }.user.id)
    expect("new@example.com" in s.op("users.resetPassword") { c.users.resetPassword(ResetPasswordUsersParams(id = added.id)) }.message)
    expect("removed" in s.op("users.delete") { c.users.delete(DeleteUsersParams(id = added.id)) }.message)
    expectEqual(3, s.op("users.list") { c.users.list() }.items.size.coerceAtMost(3))

    expectEqual(null, s.op("calls.createToken") { c.calls.createToken() }.twilioToken)
    expect(c.contacts.iter().toList().size >= 3)
    return s.names
}

fun main(args: Array<String>) {
    val mockBinary = args.getOrNull(0) ?: System.getenv("AVOCHATO_MOCK_BIN") ?: "target/debug/avochato-mock"
    val r = Runner()
    Mock(mockBinary).use { mock ->
        fun client(options: ClientOptions = mock.options()) = Avochato(options)

        r.test("operations() is the core's list of the 64 documented operations") {
            val ops = Avochato.operations()
            expectEqual(64, ops.size, "operations")
            @Suppress("UNCHECKED_CAST")
            val reference = (Json.parse(root().resolve("tests/fixtures/avochato-v1.json").readText()) as Map<String, Any?>)["operations"] as List<Map<String, Any?>>
            expectEqual(reference.map { it["title"] }.toSet(), ops.map { it.title }.toSet(), "titles")
            for (doc in reference) {
                val op = ops.first { it.title == doc["title"] }
                expectEqual(doc["method"] to doc["path"], op.httpMethod to op.path, op.title)
            }
        }

        r.test("every entry of the list is a method of the client, suspend and blocking, and no other") {
            client().use { c ->
                val ops = Avochato.operations()
                for ((resource, entries) in ops.groupBy { it.resource }) {
                    val handle = Avochato::class.java.getMethod(resource).invoke(c)
                    val iface = Class.forName("com.avochato.${handle.javaClass.simpleName}Interface")
                    val public = iface.declaredMethods.map { it.name }.filter { '$' !in it }.toSet()
                    val listed = entries.flatMap { listOf(it.method, it.method + "Blocking") }.toSet()
                    expectEqual(listed, public - "pager", resource)
                    (handle as AutoCloseable).close()
                }
                val resources = ops.map { it.resource }.toSet()
                val accessors = AvochatoInterface::class.java.declaredMethods.map { it.name }.filter { it in resources }.toSet()
                expectEqual(resources, accessors, "resources")
            }
        }

        r.test("every operation once, as suspend functions against the mock") {
            mock.reset()
            client().use { c ->
                val seen = runBlocking { scenario(c, mock) }
                val all = Avochato.operations().map { "${it.resource}.${it.method}" }.toSet()
                expectEqual(emptySet<String>(), all - seen, "operations not called")
            }
        }

        r.test("blocking calls (for Java) from eight threads at once") {
            mock.reset()
            client().use { c ->
                val pool = Executors.newFixedThreadPool(8)
                val done = (0 until 8).map { i ->
                    pool.submit<Message> { c.messages().sendBlocking(SendMessagesParams(phone = "+1415555%04d".format(i), message = "hi $i")) }
                }.map { it.get(30, TimeUnit.SECONDS) }
                pool.shutdown()
                expectEqual(8, done.map { it.eventId }.toSet().size)
                expectEqual(8, c.messages().listBlocking(ListMessagesParams()).items.size)
                expectEqual("test-account", c.verifyBlocking().account.subdomain)
                expectEqual("test-account", c.accounts().whoamiBlocking().account.subdomain)
            }
        }

        r.test("each kind of failure has its exception class, with status, request id and messages") {
            mock.reset()
            val c = client(mock.options(timeout = Duration.ofMillis(400), maxRetryWait = Duration.ofMillis(100)))
            runBlocking {
                val wrong = client(mock.options(authSecret = "wrong-secret-value"))
                val auth = expectThrows<AvochatoException.AuthenticationException> { runBlocking { wrong.verify() } }
                expectEqual(401 to listOf("Unauthorized"), auth.status to auth.errors)
                val requestId = auth.requestId
                expect(requestId?.startsWith("mock-") == true) { "request id $requestId" }
                expect(!auth.toString().contains("wrong-secret-value") && !auth.message.contains("wrong-secret-value")) { "$auth" }
                expectNoSecret(auth, wrong, c)
                val denied = expectThrows<AvochatoException.PermissionDeniedException> { runBlocking { c.accounts.list(options = CallOptions(subdomain = "other-team")) } }
                expectEqual(403, denied.status)
                expectThrows<AvochatoException.NotFoundException> { runBlocking { c.messages.get(GetMessagesParams(id = "nope")) } }
                c.contacts.upsert(UpsertContactsParams(phone = "+16505551234", optedOut = true))
                val refused = expectThrows<AvochatoException.InvalidRequestException> {
                    runBlocking { c.messages.send(SendMessagesParams(phone = "+16505551234", message = "hi")) }
                }
                expectEqual(listOf("+16505551234 is already opted out"), refused.errors)
                mock.fault("method" to "GET", "path" to "/v1/tags", "kind" to "status", "status" to 429, "retry_after" to "30")
                val limited = expectThrows<AvochatoException.RateLimitException> { runBlocking { c.tags.list() } }
                expectEqual(Duration.ofSeconds(30), limited.retryAfter)
                mock.fault("method" to "POST", "path" to "/v1/calls", "kind" to "status", "status" to 500, "errors" to "boom $SECRET")
                val server = expectThrows<AvochatoException.ServerException> { runBlocking { c.calls.createToken() } }
                expect("[REDACTED]" in server.toString()) { "$server" }
                expectNoSecret(server, server.errors, server.body, server.message)
                mock.fault("method" to "POST", "path" to "/v1/events", "kind" to "delay", "delay_ms" to 1500)
                expectThrows<AvochatoException.TimeoutException> { runBlocking { c.events.addByPhone(AddByPhoneEventsParams(phone = "+14155550100", eventType = "x")) } }
                mock.fault("method" to "DELETE", "path" to "/v1/tags", "kind" to "reset")
                expectThrows<AvochatoException.ConnectionException> { runBlocking { c.tags.removeByPhone(RemoveByPhoneTagsParams(phone = "+14155550100", tag = "x")) } }
                mock.fault("method" to "GET", "path" to "/v1/messages/m1", "kind" to "malformed")
                val bad = expectThrows<AvochatoException.DecodeException> { runBlocking { c.messages.get(GetMessagesParams(id = "m1")) } }
                expect(bad.status == 200 && bad.body != null) { "$bad" }
                val invalid = expectThrows<AvochatoException.ValidationException> { runBlocking { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "")) } }
                expectEqual("message", invalid.param)
                expect(invalid.toString().startsWith("ValidationException: ")) { invalid.toString() }
                wrong.close()
            }
            c.close()
        }

        r.test("a 429 is resent, a POST answered 500 is not, a GET answered 503 is") {
            mock.reset()
            client().use { c ->
                runBlocking {
                    mock.fault("method" to "POST", "path" to "/v1/messages", "kind" to "status", "status" to 429, "retry_after" to "0.1")
                    c.messages.send(SendMessagesParams(phone = "+14155550100", message = "once"))
                    expectEqual(2, mock.requests("POST", "/v1/messages").size, "429 resent")
                    mock.fault("method" to "POST", "path" to "/v1/messages", "kind" to "status", "status" to 500, "effect" to true)
                    expectThrows<AvochatoException.ServerException> { runBlocking { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "twice?")) } }
                    expectEqual(3, mock.requests("POST", "/v1/messages").size, "500 not resent")
                    expectEqual(2, c.messages.list().items.size, "one message per send")
                    mock.fault("method" to "GET", "path" to "/v1/whoami", "kind" to "status", "status" to 503, "count" to 2)
                    expectEqual("test-account", c.verify().account.subdomain)
                    expectEqual(3, mock.requests("GET", "/v1/whoami").size, "GET resent")
                }
            }
        }

        r.test("bad input is refused before anything is sent") {
            mock.reset()
            client().use { c ->
                val cases: List<Pair<suspend () -> Any?, String>> = listOf(
                    suspend { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "x".repeat(1601))) } to "message",
                    suspend { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "hi", from = "510-555-1234")) } to "from",
                    suspend { c.messages.send(SendMessagesParams(phone = "not a phone", message = "hi")) } to "phone",
                    suspend { c.contacts.upsert(UpsertContactsParams(phone = "+14155550100", priority = 9)) } to "priority",
                    suspend { c.contacts.upsert(UpsertContactsParams(phone = "+14155550100", customFields = mapOf("a[b]" to 1))) } to "a[b]",
                    suspend { c.contacts.fetch(FetchContactsParams(ids = listOf())) } to "ids",
                    suspend { c.contacts.fetch(FetchContactsParams(ids = listOf("a/b"))) } to "ids",
                    suspend { c.users.get(GetUsersParams()) } to "id",
                    suspend { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "x"), CallOptions(timeout = Duration.ZERO)) } to "timeout",
                    suspend { c.messages.send(SendMessagesParams(phone = "+14155550100", message = "x"), CallOptions(maxRetries = -1)) } to "max_retries",
                    suspend { c.accounts.list(options = CallOptions(subdomain = "no good!")) } to "subdomain",
                    suspend { c.messages.searchByTimestamp(SearchByTimestampMessagesParams(createdAt = TimeRange(from = 10.0, to = 5.0))) } to "created_at",
                    suspend { c.messages.schedule(ScheduleMessagesParams(phone = "+14155550100", message = "x", scheduledFor = Double.NaN)) } to "scheduled_for",
                )
                for ((call, param) in cases) {
                    val e = expectThrows<AvochatoException.ValidationException> { runBlocking { call() } }
                    expect(e.param?.startsWith(param) == true) { "$param: $e" }
                    expectNoSecret(e)
                }
                expectThrows<AvochatoException.ValidationException> { c.messages().sendBlocking(SendMessagesParams(phone = "+14155550100", message = "")) }
                expectEqual(emptyList<Any?>(), mock.requests(), "nothing reached the server")
            }
            val missing = expectThrows<AvochatoException.ValidationException> { ClientOptions(authId = "x", baseUrl = mock.url) }
            expect("auth_secret" in missing.toString()) { "$missing" }
            expectThrows<AvochatoException.ValidationException> { ClientOptions(authId = "x", authSecret = "y", baseUrl = "http://example.com") }
            expectThrows<AvochatoException.ValidationException> { ClientOptions(authId = "x", authSecret = "y", baseUrl = mock.url, timeout = Duration.ofDays(2)) }
            expectThrows<AvochatoException.ValidationException> { ClientOptions(authId = "x", authSecret = "y", baseUrl = mock.url, maxRetries = 101) }
        }

        r.test("pagination follows the cursor to the end (flows and pagers)") {
            mock.reset()
            client().use { c ->
                runBlocking {
                    for (start in 0 until 75 step 25) {
                        c.contacts.upsertMany(UpsertManyContactsParams(contacts = (start until start + 25).map { ContactInput(phone = "+1415555%04d".format(it)) }))
                    }
                    val before = mock.requests("GET", "/v1/contacts").size
                    val ids = c.contacts.iter(SearchContactsParams(limit = 20u)).map { it.id }.toList().toSet()
                    expectEqual(75, ids.size, "contacts")
                    expectEqual(4, mock.requests("GET", "/v1/contacts").size - before, "requests")
                    expectEqual(5, c.contacts.iter().take(5).toList().size, "stops early")
                    for (i in 0 until 35) c.messages.send(SendMessagesParams(phone = "+1415556%04d".format(i), message = "hi"))
                    expectEqual(35, c.tickets.iter().toList().size, "tickets")
                    for (i in 0 until 40) c.tags.addByPhone(AddByPhoneTagsParams(phone = "+14155550000", tag = "tag-%03d".format(i)))
                    val names = c.tags.iter().map { it.name }.toList()
                    expect(names == names.sorted() && names.size == 40) { "$names" }
                    c.messages.pager(SearchMessagesParams()).use { pager ->
                        var pages = 0
                        var items = 0
                        while (true) {
                            val page = pager.nextPage() ?: break
                            pages++
                            items += page.items.size
                        }
                        expect(pages >= 1 && items == 35) { "$pages pages, $items messages" }
                        expectEqual(null, pager.nextPage(), "after the end")
                    }
                    mock.fault("method" to "GET", "path" to "/v1/users", "kind" to "status", "status" to 400)
                    val e = expectThrows<AvochatoException.InvalidRequestException> { runBlocking { c.users.iter().toList() } }
                    expectEqual(400, e.status)
                }
                val total = runBlocking { c.contacts.iter().toList().size }
                c.contacts().pager(SearchContactsParams(limit = 50u)).use { pager ->
                    val sizes = generateSequence { pager.nextPageBlocking()?.items?.size }.toList()
                    expect(sizes.first() == 50 && sizes.sum() == total && sizes.size == (total + 49) / 50) { "$sizes of $total" }
                    expectEqual(null, pager.nextPageBlocking(), "the end, blocking")
                }
            }
        }

        r.test("models: custom contact fields, unknown fields, events by type, equality") {
            mock.reset()
            client().use { c ->
                runBlocking {
                    val ada = c.contacts.upsert(UpsertContactsParams(phone = "+14155550100", name = "Ada", tags = listOf("vip"), customFields = mapOf("plan" to "gold", "score" to 7, "nested" to mapOf("a" to listOf(1, 2.5, null, true)))))
                    expectEqual(mapOf("plan" to "gold", "score" to 7L, "nested" to mapOf("a" to listOf(1L, 2.5, null, true))), ada.customFields)
                    expectEqual("vip", ada.tagDetails[0].name)
                    expectEqual(ada, c.contacts.fetch(FetchContactsParams(ids = listOf(ada.id))).items[0])
                    mock.fault("method" to "GET", "path" to "/v1/tags", "kind" to "status", "status" to 200,
                        "body" to mapOf("status" to 200, "data" to mapOf("tags" to listOf(mapOf("name" to "x", "color_hex" to "#fff", "since" to 2026)))))
                    val tag = c.tags.list().items.single()
                    expectEqual(mapOf<String, Any?>("color_hex" to "#fff", "since" to 2026L), tag.extra)
                    val m = c.messages.send(SendMessagesParams(phone = "+14155550100", message = "hi"))
                    mock.control("POST", "/__mock/calls", mapOf("phone" to "+14155550100", "duration" to 75))
                    val page = c.events.fetch(FetchEventsParams(ids = listOf(m.ticketId!!)))
                    val call = page.items.filterIsInstance<Event.Call>().single().v1
                    expectEqual(75L, call.duration)
                    expect(page.items.any { it is Event.SmsMessage })
                    expectNoSecret(ada, m, page)
                }
            }
            expectEqual("+14155551234", normalizePhone("(415) 555-1234"))
            expectEqual("+442079460958", normalizePhone("020 7946 0958", "GB"))
            expectEqual("phone", expectThrows<AvochatoException.ValidationException> { normalizePhone("1-800-FLOWERS") }.param)
        }

        r.test("the secret is in no toString(): client, options, scoped client, exceptions") {
            val options = mock.options()
            client(options).use { c ->
                c.withSubdomain("second-inbox").use { scoped ->
                    expectNoSecret(options, c, scoped, c.messages, c.verifyBlocking())
                    expect("[REDACTED]" in c.toString() && "[REDACTED]" in options.toString()) { "$c $options" }
                    expect("second-inbox" in scoped.toString()) { "$scoped" }
                }
            }
        }

        /** Runs an example's `main` in a new JVM, options from the environment as a user would. */
        fun runExample(mainClass: String): String {
            mock.reset()
            val java = File(System.getProperty("java.home"), "bin/java").path
            val process = ProcessBuilder(
                java, "-Djna.library.path=" + System.getProperty("jna.library.path"),
                "-cp", System.getProperty("avochato.java.classpath"), mainClass,
            ).redirectErrorStream(true)
            process.environment() += mapOf("AVOCHATO_AUTH_ID" to AUTH_ID, "AVOCHATO_AUTH_SECRET" to SECRET, "AVOCHATO_BASE_URL" to mock.url)
            process.environment().remove("AVOCHATO_SUBDOMAIN")
            val child = process.start()
            val output = child.inputStream.bufferedReader().readText()
            expect(child.waitFor(60, TimeUnit.SECONDS) && child.exitValue() == 0) { "$mainClass failed:\n$output" }
            expect(!output.contains(SECRET)) { "the secret leaked: $output" }
            return output
        }

        r.test("the Java example compiles and runs: blocking calls, a pager, CompletableFuture, exceptions") {
            val output = runExample("com.avochato.example.JavaExample")
            for (line in listOf("inbox: test-account", "sent: ", "custom fields: {plan=gold}", "contacts: 2", "fetched again: true", "not found: status 404", "refused before sending: message")) {
                expect(line in output) { "missing <$line> in:\n$output" }
            }
        }

        r.test("the README's Kotlin quickstart runs") {
            val output = runExample("com.avochato.example.QuickstartKt")
            for (line in listOf("inbox: test-account", "sent: ", "vip: Ada {plan=gold}", "not found: status 404")) {
                expect(line in output) { "missing <$line> in:\n$output" }
            }
        }

        r.test("a panic inside the SDK is InternalException, never a crash") {
            for (place in listOf("call", "blocking")) {
                val e = expectThrows<AvochatoException.InternalException> { panicForTests(place) }
                expect("a test panic" in e.toString()) { "$e" }
            }
            expectThrows<AvochatoException.InternalException> { runBlocking { panicForTestsAsync() } }
            client().use { c -> expectEqual("test-account", c.verifyBlocking().account.subdomain) }
        }

        r.test("a cancelled coroutine cancels its request; suspend calls run concurrently") {
            mock.reset()
            client().use { c ->
                runBlocking {
                    mock.fault("method" to "GET", "path" to "/v1/whoami", "kind" to "delay", "delay_ms" to 3000)
                    val started = System.nanoTime()
                    val job = launch { c.verify() }
                    delay(200)
                    job.cancel()
                    job.join()
                    expect(System.nanoTime() - started < 2_000_000_000L) { "cancel took too long" }
                    val results = (0 until 16).map { i -> async { c.messages.send(SendMessagesParams(phone = "+1415557%04d".format(i), message = "hi")) } }.awaitAll()
                    expectEqual(16, results.map { it.eventId }.toSet().size)
                    expectEqual("test-account", c.verify().account.subdomain)
                }
            }
        }
    }
    val ok = r.finish()
    exitProcess(if (ok) 0 else 1)
}
