package com.avochato

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The items of every page as a cold flow: each collection opens a pager, asks for pages
 * until there are none, and frees the pager (also when the collector stops early or fails).
 * What the generated `iter(...)` methods return.
 */
internal fun <P, T> pageFlow(
    open: () -> P,
    next: suspend (P) -> List<T>?,
    close: (P) -> Unit,
): Flow<T> = flow {
    val pager = open()
    try {
        while (true) {
            val items = next(pager) ?: break
            for (item in items) emit(item)
        }
    } finally {
        close(pager)
    }
}
