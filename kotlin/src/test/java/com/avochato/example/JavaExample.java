package com.avochato.example;

import com.avochato.Avochato;
import com.avochato.AvochatoException;
import com.avochato.ContactPage;
import com.avochato.ContactsPager;
import com.avochato.types.Contact;
import com.avochato.types.ContactInput;
import com.avochato.types.Message;
import com.avochato.types.SearchContactsParams;
import com.avochato.types.SendMessagesParams;
import com.avochato.types.UpsertManyContactsParams;
import com.avochato.types.GetMessagesParams;
import com.avochato.types.Whoami;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The SDK from Java: every operation has a blocking twin (`sendBlocking`), resources are
 * methods (`client.messages()`), pages come from a pager, and `CompletableFuture` wraps a
 * blocking call for asynchronous code. Options come from the AVOCHATO_* variables.
 */
public final class JavaExample {
    public static void main(String[] args) throws AvochatoException {
        try (Avochato client = Avochato.Companion.fromEnv()) {
            Whoami me = client.verifyBlocking();
            System.out.println("inbox: " + me.getAccount().getSubdomain());

            // A parameter record: required fields first, null for the optional ones (or
            // set them afterwards: params.setFrom("+15105551234")).
            SendMessagesParams hello = new SendMessagesParams("+14155551234", "Hello from Java", null, null, null, null, null, null, null);
            hello.setMarkAddressed(true);
            Message sent = client.messages().sendBlocking(hello, null);
            System.out.println("sent: " + sent.getEventId() + " " + sent.getDirection());

            ContactInput ada = new ContactInput("+14155550001", "Ada", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, Map.of("plan", "gold"));
            List<Contact> saved = client.contacts().upsertManyBlocking(new UpsertManyContactsParams(List.of(ada), null), null);
            System.out.println("custom fields: " + saved.get(0).getCustomFields());

            // Every page, one request per nextPageBlocking().
            int count = 0;
            try (ContactsPager pager = client.contacts().pager(new SearchContactsParams(), null)) {
                for (ContactPage page = pager.nextPageBlocking(); page != null; page = pager.nextPageBlocking()) {
                    count += page.getItems().size();
                }
            }
            System.out.println("contacts: " + count);

            // A CompletableFuture from a blocking call, for asynchronous Java code.
            CompletableFuture<Message> later = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.messages().getBlocking(new GetMessagesParams(sent.getEventId()), null);
                } catch (AvochatoException e) {
                    throw new CompletionException(e);
                }
            });
            System.out.println("fetched again: " + later.join().getEventId().equals(sent.getEventId()));

            // One exception class per kind, with the HTTP status, request id and the API's messages.
            try {
                client.messages().getBlocking(new GetMessagesParams("nope"), null);
            } catch (AvochatoException.NotFoundException e) {
                System.out.println("not found: status " + e.getStatus() + ", request id " + e.getRequestId());
            }
            try {
                client.messages().sendBlocking(new SendMessagesParams("+14155551234", "", null, null, null, null, null, null, null), null);
            } catch (AvochatoException.ValidationException e) {
                System.out.println("refused before sending: " + e.getParam());
            }
        }
    }
}
