/*
 * rawparse — the floor of `make bench`: a bare libxml2 SAX2 parse of export files that only
 * counts record elements. It reads like onestop reads (docs/contract.md §7, docs/design.md "Measured facts"):
 * read(2) in 256 KiB chunks; gzip detected by its magic bytes and inflated with zlib into
 * 256 KiB pieces (multi-member aware); libxml2's push parser with XML_PARSE_NONET and nothing
 * else (no NOENT, no DTDLOAD, no HUGE). Its SAX2 handler has startElementNs and endElementNs
 * only: no text is looked at, nothing is copied.
 *
 *   rawparse [--jobs N] RECORD_PATH FILE...     e.g.  rawparse DanhSachHoSo/HoSo data/src01_1.xml
 *
 * A record is an element whose local name and depth match the last step of RECORD_PATH
 * (namespace prefixes ignored, as onestop does). Prints `records <n> xml_bytes <n> disk_bytes <n>`
 * and exits 0, or names the first file that failed and exits 65.
 *
 * With --jobs N, N threads parse at once, each its own share of the files, one after another:
 * the files are split by size, largest first to the thread with the fewest bytes so far. That is
 * the most N cores can do with this parser, the parallel floor `make bench` holds
 * `onestop run --jobs N` against.
 *
 * Build: cc -O2 rawparse.c $(pkg-config --cflags --libs libxml-2.0 zlib) -lpthread -o rawparse
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

typedef struct {
    const char *recordName;
    int recordDepth;
    int depth;
    long long records;
    int failed;
    char message[512];
    int line;
} Counter;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)prefix; (void)uri; (void)nb_namespaces; (void)namespaces; (void)nb_attributes; (void)nb_defaulted;
    (void)attributes;
    Counter *counter = (Counter *)((xmlParserCtxtPtr)ctx)->_private;
    counter->depth++;
    if (counter->depth == counter->recordDepth && strcmp((const char *)localname, counter->recordName) == 0) {
        counter->records++;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)localname; (void)prefix; (void)uri;
    Counter *counter = (Counter *)((xmlParserCtxtPtr)ctx)->_private;
    counter->depth--;
}

/* libxml2 passes the parser context (its userData) to the structured error handler. */
static void on_error(void *ctx, xmlErrorPtr error) {
    Counter *counter = (Counter *)((xmlParserCtxtPtr)ctx)->_private;
    if (error == NULL || error->level < XML_ERR_ERROR || counter->failed) return;
    counter->failed = 1;
    counter->line = error->line;
    snprintf(counter->message, sizeof counter->message, "%s", error->message ? error->message : "parse error");
    size_t n = strlen(counter->message);
    if (n > 0 && counter->message[n - 1] == '\n') counter->message[n - 1] = 0;
}

/* Parses one file; returns 0 on success. */
static int parse_file(const char *path, Counter *counter, long long *xmlBytes, long long *diskBytes,
                      unsigned char *raw, unsigned char *inflated) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "rawparse: %s: %s\n", path, strerror(errno));
        return 1;
    }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.serror = on_error;
    counter->depth = 0;
    counter->failed = 0;

    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, path);
    if (ctxt == NULL) {
        close(fd);
        return 1;
    }
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    ctxt->_private = counter;

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int gzip = -1, zopen = 0, rc = 0;
    ssize_t n;
    while ((n = read(fd, raw, CHUNK)) > 0) {
        *diskBytes += n;
        if (gzip < 0) {
            gzip = n >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
            if (gzip) {
                if (inflateInit2(&zs, 15 + 32) != Z_OK) { rc = 1; break; }
                zopen = 1;
            }
        }
        if (!gzip) {
            *xmlBytes += n;
            xmlParseChunk(ctxt, (const char *)raw, (int)n, 0);
        } else {
            zs.next_in = raw;
            zs.avail_in = (uInt)n;
            while (zs.avail_in > 0) {
                zs.next_out = inflated;
                zs.avail_out = CHUNK;
                int z = inflate(&zs, Z_NO_FLUSH);
                size_t produced = CHUNK - zs.avail_out;
                if (produced > 0) {
                    *xmlBytes += (long long)produced;
                    xmlParseChunk(ctxt, (const char *)inflated, (int)produced, 0);
                }
                if (z == Z_STREAM_END) {
                    if (zs.avail_in > 0) inflateReset(&zs); /* next gzip member */
                } else if (z != Z_OK && !(z == Z_BUF_ERROR && produced == 0)) {
                    fprintf(stderr, "rawparse: %s: gzip error %d\n", path, z);
                    rc = 1;
                    break;
                }
                if (counter->failed) break;
            }
            /* Drain output zlib may still hold. */
            while (rc == 0 && !counter->failed) {
                zs.next_out = inflated;
                zs.avail_out = CHUNK;
                int z = inflate(&zs, Z_NO_FLUSH);
                size_t produced = CHUNK - zs.avail_out;
                if (produced == 0) break;
                *xmlBytes += (long long)produced;
                xmlParseChunk(ctxt, (const char *)inflated, (int)produced, 0);
                if (z != Z_OK) break;
            }
        }
        if (rc || counter->failed) break;
    }
    if (n < 0) {
        fprintf(stderr, "rawparse: %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    if (rc == 0 && !counter->failed) xmlParseChunk(ctxt, NULL, 0, 1);
    if (counter->failed) {
        fprintf(stderr, "rawparse: %s:%d: %s\n", path, counter->line, counter->message);
        rc = 1;
    }
    if (zopen) inflateEnd(&zs);
    xmlFreeParserCtxt(ctxt);
    close(fd);
    return rc;
}

/* One thread's share of the files and what it counted. */
typedef struct {
    Counter counter;
    const char **paths;
    int count;
    long long assigned;
    long long xmlBytes, diskBytes;
    int rc;
} Share;

static void *parse_share(void *argument) {
    Share *share = (Share *)argument;
    unsigned char *raw = malloc(CHUNK), *inflated = malloc(CHUNK);
    for (int i = 0; i < share->count && share->rc == 0; i++) {
        if (parse_file(share->paths[i], &share->counter, &share->xmlBytes, &share->diskBytes, raw, inflated) != 0) {
            share->rc = 65;
        }
    }
    free(raw);
    free(inflated);
    return NULL;
}

static long long file_size(const char *path) {
    struct stat info;
    return stat(path, &info) == 0 ? (long long)info.st_size : 0;
}

int main(int argc, char **argv) {
    int jobs = 1, first = 1;
    if (argc > 2 && strcmp(argv[1], "--jobs") == 0) {
        jobs = atoi(argv[2]);
        first = 3;
    }
    if (argc - first < 2 || jobs < 1) {
        fprintf(stderr, "usage: rawparse [--jobs N] RECORD_PATH FILE...   (e.g. rawparse DanhSachHoSo/HoSo data/*.xml)\n");
        return 64;
    }
    /* Depth and local name of the record element: the number of steps, the last step. */
    Counter counter;
    memset(&counter, 0, sizeof counter);
    const char *path = argv[first];
    counter.recordDepth = 1;
    for (const char *p = path; *p; p++) if (*p == '/') counter.recordDepth++;
    const char *last = strrchr(path, '/');
    last = last ? last + 1 : path;
    const char *colon = strrchr(last, ':');
    counter.recordName = colon ? colon + 1 : last;

    /* Files largest first, each to the share with the fewest bytes so far. */
    int files = argc - first - 1;
    const char **paths = (const char **)(argv + first + 1);
    long long *sizes = malloc(sizeof(long long) * (size_t)files);
    int *order = malloc(sizeof(int) * (size_t)files);
    for (int i = 0; i < files; i++) { sizes[i] = file_size(paths[i]); order[i] = i; }
    for (int i = 1; i < files; i++) {
        int key = order[i], j = i - 1;
        while (j >= 0 && sizes[order[j]] < sizes[key]) { order[j + 1] = order[j]; j--; }
        order[j + 1] = key;
    }
    if (jobs > files) jobs = files;
    Share *shares = calloc((size_t)jobs, sizeof(Share));
    for (int s = 0; s < jobs; s++) {
        shares[s].counter = counter;
        shares[s].paths = malloc(sizeof(char *) * (size_t)files);
    }
    for (int i = 0; i < files; i++) {
        int target = 0;
        for (int s = 1; s < jobs; s++) if (shares[s].assigned < shares[target].assigned) target = s;
        shares[target].paths[shares[target].count++] = paths[order[i]];
        shares[target].assigned += sizes[order[i]];
    }

    xmlInitParser();
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t)jobs);
    for (int s = 1; s < jobs; s++) pthread_create(&threads[s], NULL, parse_share, &shares[s]);
    parse_share(&shares[0]);
    for (int s = 1; s < jobs; s++) pthread_join(threads[s], NULL);
    long long records = 0, xmlBytes = 0, diskBytes = 0;
    for (int s = 0; s < jobs; s++) {
        if (shares[s].rc != 0) return shares[s].rc;
        records += shares[s].counter.records;
        xmlBytes += shares[s].xmlBytes;
        diskBytes += shares[s].diskBytes;
    }
    printf("records %lld xml_bytes %lld disk_bytes %lld\n", records, xmlBytes, diskBytes);
    return 0;
}
