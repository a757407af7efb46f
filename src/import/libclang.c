/*
 * libclang.c - loading libclang when compare or import first needs it.
 *
 * The tool is not linked with libclang (libclang.h says why): the library
 * found at build time (XBG_LIBCLANG, set by the Makefile) is opened with
 * dlopen() and each function the importer calls is looked up once.  POSIX
 * guarantees that dlsym()'s object pointer converts to the function
 * pointer it stands for; ISO C does not, so the bytes are copied rather
 * than cast.
 */
#include "import/import.h"

#ifdef HAVE_LIBCLANG

#include <dlfcn.h>

#include "import/libclang.h"

/* the bytes of a dlsym() result are copied into a function pointer */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "object and function pointers differ in size");

Libclang libclang;
static bool loaded;

int libclang_load(Diag *d)
{
	void *h, *p;
	const char *missing = NULL;

	if (loaded)
		return STATUS_OK;
	h = dlopen(XBG_LIBCLANG, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		diag_error(d, NO_LOC, "cannot load libclang: %s", dlerror());
		return STATUS_IO;
	}
#define LIBCLANG_LOOKUP(ret, name, params)                                   \
	p = dlsym(h, "clang_" #name);                                        \
	if (!p && !missing)                                                  \
		missing = "clang_" #name;                                    \
	memcpy(&libclang.name, &p, sizeof p);
	LIBCLANG_FUNCTIONS(LIBCLANG_LOOKUP)
#undef LIBCLANG_LOOKUP
	if (missing) {
		diag_error(d, NO_LOC, "cannot load libclang: %s has no %s (libclang "
			   "14 or later is needed)", XBG_LIBCLANG, missing);
		dlclose(h);
		memset(&libclang, 0, sizeof libclang);
		return STATUS_IO;
	}
	/* never closed: the functions stay in use until the process ends */
	loaded = true;
	return STATUS_OK;
}

#endif
