/*
 * libclang.c - loading libclang when compare or import first needs it, and
 * the threads their parses run on.
 *
 * The tool is not linked with libclang (libclang.h says why): the library
 * found at build time (XBG_LIBCLANG, set by the Makefile) is opened with
 * dlopen() and each function the importer calls is looked up once.  POSIX
 * guarantees that dlsym()'s object pointer converts to the function
 * pointer it stands for; ISO C does not, so the bytes are copied rather
 * than cast.
 */
#include "import/import.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

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

/* ---- Threads ------------------------------------------------------------- */

unsigned pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

void pool_run(void *(*worker)(void *), void *arg, size_t njobs,
	      unsigned nthreads)
{
	pthread_t *th;
	unsigned i, started = 0;
	if (nthreads > njobs)
		nthreads = njobs ? (unsigned)njobs : 1;
	if (nthreads <= 1) {
		worker(arg);
		return;
	}
	th = xcalloc(nthreads, sizeof *th);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, arg) == 0)
			started++;
		else
			break;
	if (!started)
		worker(arg); /* no threads to be had: do it here */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}
