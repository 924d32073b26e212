package com.avochato.example

import com.avochato.Avochato
import com.avochato.AvochatoException
import com.avochato.CallOptions
import com.avochato.ClientOptions
import com.avochato.contacts
import com.avochato.iter
import com.avochato.messages
import com.avochato.types.GetMessagesParams
import com.avochato.types.SearchContactsParams
import com.avochato.types.SendMessagesParams
import com.avochato.types.UpsertContactsParams
import java.time.Duration
import kotlinx.coroutines.runBlocking

/** The README's Kotlin quickstart (options from AVOCHATO_AUTH_ID, AVOCHATO_AUTH_SECRET, AVOCHATO_BASE_URL, ...). */
fun main(): Unit = runBlocking {
    Avochato(ClientOptions()).use { client ->
        val me = client.verify()
        println("inbox: ${me.account.subdomain}")
        val ada = client.contacts.upsert(
            UpsertContactsParams(phone = "+14155550125", name = "Ada", tags = listOf("vip"), customFields = mapOf("plan" to "gold")),
        )
        val sent = client.messages.send(SendMessagesParams(phone = ada.phone!!, message = "Hello!"), CallOptions(timeout = Duration.ofSeconds(10)))
        println("sent: ${sent.eventId}")
        client.contacts.iter(SearchContactsParams(query = "tags:vip")).collect { println("vip: ${it.name} ${it.customFields}") }
        try {
            client.messages.get(GetMessagesParams(id = "nope"))
        } catch (e: AvochatoException.NotFoundException) {
            println("not found: status ${e.status}, request id ${e.requestId}")
        }
    }
}
