#ifndef ONESTOP_CLIBXML2_SHIM_H
#define ONESTOP_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* This libxml2 is built with ICU, so encoding.h would include the system <unicode/ucnv.h>,
   whose enums clash with Foundation's bundled ICU (_FoundationICU) in any Swift module that
   also sees Foundation. Swift never touches ICU types here: they only sit inside
   xmlCharEncodingHandler, which is used through pointers only. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/dict.h>
#include <libxml/globals.h>
#include <zlib.h>

/* libxml2 writes a few messages (e.g. "xmlParseChunk: encoder error") straight to its generic
   error channel, which defaults to stderr. Swift cannot define a C variadic function, so the
   sink that swallows them lives here. The setting is per thread in a threaded libxml2. */
static inline void onestop_xml_discard_generic_error(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static inline void onestop_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, onestop_xml_discard_generic_error);
}

/* inflateInit2 is a macro; this keeps the version/size arguments in C. */
static inline int onestop_inflate_init_auto(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
