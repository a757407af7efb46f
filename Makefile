# xenbindgen - GNU make build.
#
#   make                 build ./xenbindgen (gcc by default; make CC=clang works too)
#   make check           build and run the whole test suite
#   make check-asan      the same suite, tool and unit tests built with ASan+UBSan
#   make check-valgrind  the end-to-end cases and generation runs under valgrind
#   make lint            cppcheck and clang-tidy on src/ (.clang-tidy)
#   make fuzz            the libFuzzer targets, into build/fuzz/ (fuzz/README.md)
#   make demo            generate the bundled Xen specs into build/demo/
#   make schema          regenerate docs/xenbindgen.schema.json (src/model/schema.c)
#   make install         PREFIX=/usr/local DESTDIR= (binary and man page)
#   make YAML=no         build without libyaml (TOML specs only)
#   make CLANG=no        build without libclang (no `xenbindgen compare`)

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
PYTHON  ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
PKG_CONFIG ?= pkg-config
YAML    ?= auto
CLANG   ?= auto
LLVM_CONFIG ?= llvm-config

WARN    = -Wall -Wextra -Wpedantic -Werror
CSTD    = -std=c11
OPT     ?= -O2 -g
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L $(CPPFLAGS)
CFLAGS_ALL   = $(CSTD) $(WARN) $(OPT) $(CFLAGS)

# libyaml is optional: without it the tool reads TOML only and says so when
# it meets a YAML or JSON spec.
ifeq ($(YAML),auto)
  YAML := $(shell $(PKG_CONFIG) --exists yaml-0.1 2>/dev/null && echo yes || echo no)
endif
ifeq ($(YAML),yes)
  YAML_CFLAGS := -DHAVE_LIBYAML $(shell $(PKG_CONFIG) --cflags yaml-0.1)
  YAML_LIBS   := $(shell $(PKG_CONFIG) --libs yaml-0.1)
endif

# libclang is optional too: `xenbindgen compare` (docs/compare.md) needs it
# and says so when it is missing.  Found with llvm-config, or as Debian's
# libclang-dev installs it (/usr/lib/llvm-N, the newest); CLANG_INCDIR and
# CLANG_LIBDIR point elsewhere.  The run path lets the tool find the
# library without LD_LIBRARY_PATH.
ifneq ($(CLANG),no)
  ifndef CLANG_INCDIR
    CLANG_INCDIR := $(shell $(LLVM_CONFIG) --includedir 2>/dev/null)
    CLANG_LIBDIR := $(shell $(LLVM_CONFIG) --libdir 2>/dev/null)
    ifeq ($(wildcard $(CLANG_INCDIR)/clang-c/Index.h),)
      CLANG_INCDIR := $(patsubst %/clang-c/Index.h,%,$(shell ls -d \
	/usr/lib/llvm-*/include/clang-c/Index.h 2>/dev/null | sort -V | tail -n 1))
      CLANG_LIBDIR := $(patsubst %/include,%/lib,$(CLANG_INCDIR))
    endif
  endif
  CLANG_FOUND := $(and $(wildcard $(CLANG_INCDIR)/clang-c/Index.h),$(wildcard \
	$(CLANG_LIBDIR)/libclang.so))
  ifeq ($(CLANG),auto)
    CLANG := $(if $(CLANG_FOUND),yes,no)
  endif
endif
ifeq ($(CLANG),yes)
  ifeq ($(CLANG_FOUND),)
    $(error CLANG=yes but libclang was not found: install libclang-dev, or set CLANG_INCDIR and CLANG_LIBDIR)
  endif
  # Not linked: loaded with dlopen() when compare or import first needs it
  # (src/import/libclang.h says why), from the path found here.
  CLANG_SO     := $(firstword $(wildcard $(CLANG_LIBDIR)/libclang.so.1) \
	$(CLANG_LIBDIR)/libclang.so)
  CLANG_CFLAGS := -DHAVE_LIBCLANG -DXBG_LIBCLANG='"$(CLANG_SO)"' \
	-isystem $(CLANG_INCDIR) -pthread
  CLANG_LIBS   := -ldl -pthread
endif

B       ?= build/$(notdir $(firstword $(CC)))
# One folder per stage (docs/architecture.md); every .c in them is part of
# the tool, cli/main.c is its entry point.
STAGES  := base read model out emit tools import diff cli
SRCS    := $(sort $(foreach s,$(STAGES),$(wildcard src/$(s)/*.c)))
# and the C sources made at build time (the embedded Rust prelude)
GEN_SRCS := $(B)/emit/rust_prelude.c
OBJS    := $(SRCS:src/%.c=$(B)/%.o) $(GEN_SRCS:.c=.o)
LIBOBJS := $(filter-out $(B)/cli/main.o,$(OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
TEST_TOOLS := $(B)/tests/doc-decoder $(B)/tests/schema-json

all: xenbindgen

xenbindgen: $(B)/xenbindgen
	cp $< $@

$(B)/xenbindgen: $(OBJS)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(OBJS) $(YAML_LIBS) $(CLANG_LIBS)

$(B)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Isrc $(YAML_CFLAGS) $(CLANG_CFLAGS) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# Text the tool writes verbatim lives in files of its own language: the
# Rust prelude, src/emit/rust_prelude/*.rs.  build-aux/embed.c, a program
# of ours built with BUILD_CC for the machine that builds, turns them into
# C arrays (declared in src/emit/rust.h); editing a .rs file rebuilds.
BUILD_CC ?= $(CC)
RUST_PRELUDE := $(sort $(wildcard src/emit/rust_prelude/*.rs))

$(B)/build-aux/embed: build-aux/embed.c
	@mkdir -p $(@D)
	$(BUILD_CC) $(CSTD) $(WARN) -O2 -o $@ $<

$(B)/emit/rust_prelude.c: $(RUST_PRELUDE) $(B)/build-aux/embed
	@mkdir -p $(@D)
	$(B)/build-aux/embed $@ emit/rust.h rust_prelude_ $(RUST_PRELUDE)

$(B)/emit/rust_prelude.o: $(B)/emit/rust_prelude.c
	$(CC) $(CPPFLAGS_ALL) -Isrc $(YAML_CFLAGS) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(YAML_CFLAGS) -Isrc -Itests/unit $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(B)/tests/test_%: $(B)/tests/test_%.o $(LIBOBJS)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(CLANG_LIBS)

$(B)/tests/%-decoder: $(B)/tests/%-decoder.o $(LIBOBJS)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(CLANG_LIBS)

$(B)/tests/schema-json: $(B)/tests/schema-json.o $(LIBOBJS)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) $(CLANG_LIBS)

# docs/xenbindgen.schema.json is generated from src/model/schema.c; the
# test schema/generated checks that the committed file is up to date.
schema: $(B)/tests/schema-json
	$(B)/tests/schema-json > docs/xenbindgen.schema.json.tmp || \
	  { rm -f docs/xenbindgen.schema.json.tmp; exit 1; }
	mv docs/xenbindgen.schema.json.tmp docs/xenbindgen.schema.json

.PHONY: schema

# The tool with its test hooks (XBG_TEST_HOOKS, src/base/base.h): the same
# sources, objects of their own; the released binary has none of them.
HOOKS_OBJS := $(SRCS:src/%.c=$(B)/hooks/%.o)
HOOKS_BIN  := $(B)/tests/xenbindgen-hooks

$(B)/hooks/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -DXBG_TEST_HOOKS -Isrc $(YAML_CFLAGS) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# (the embedded prelude holds no hook: the tool's own object serves both)
$(HOOKS_BIN): $(HOOKS_OBJS) $(GEN_SRCS:.c=.o)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(YAML_LIBS)

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(TEST_TOOLS:=.d) $(HOOKS_OBJS:.o=.d)

test-bins: $(B)/xenbindgen $(UNIT_BINS) $(TEST_TOOLS) $(HOOKS_BIN)

# The runner prints "N passed, N failed[, N skipped]"; a test whose tool,
# package or ../shared data is missing is skipped, naming it (.ci/run
# installs them all).
check: test-bins
	XENBINDGEN=$(CURDIR)/$(B)/xenbindgen TESTBIN=$(CURDIR)/$(B)/tests \
	  XBG_HOOKS=$(CURDIR)/$(HOOKS_BIN) XBG_CLANG_INCDIR=$(if $(filter yes,$(CLANG)),$(CLANG_INCDIR)) \
	  CC=$(CC) YAML=$(YAML) $(PYTHON) tests/run.py $(TESTS)

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	$(MAKE) B=build/asan OPT="$(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" check \
	  ASAN=1

# libFuzzer targets: one per reader, the document tools and the whole
# pipeline (fuzz/README.md says how to run them).  Built with clang, ASan
# and UBSan into build/fuzz/ (FZ=DIR elsewhere); the library objects go
# into an archive so that each target links only what it uses.
FUZZ_CC    ?= clang
FUZZ_FLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	      -fno-sanitize-recover=all
FZ         ?= build/fuzz
FUZZ_BINS  := $(patsubst fuzz/fuzz_%.c,$(FZ)/fuzz-%,$(wildcard fuzz/fuzz_*.c))
FUZZ_OBJS  := $(LIBOBJS:$(B)/%=$(FZ)/obj/%)

fuzz: $(FUZZ_BINS)

$(FZ)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -Isrc $(YAML_CFLAGS) $(CLANG_CFLAGS) $(CSTD) $(WARN) \
	  $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FZ)/obj/emit/rust_prelude.o: $(B)/emit/rust_prelude.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -Isrc $(YAML_CFLAGS) $(CSTD) $(WARN) $(FUZZ_FLAGS) \
	  -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FZ)/libxbg.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FZ)/fuzz-%: fuzz/fuzz_%.c $(wildcard fuzz/*.h) $(FZ)/libxbg.a
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(YAML_CFLAGS) -Isrc $(CSTD) $(WARN) \
	  $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FZ)/libxbg.a $(YAML_LIBS)

-include $(FUZZ_OBJS:.o=.d)

.PHONY: fuzz

# The end-to-end cases, the fuzz regressions and generation runs of every
# backend (tests/suites/valgrind.py) with the tool under valgrind memcheck
# (tests/valgrind.sh): a memory error or a leaked block fails the test.
check-valgrind: $(B)/xenbindgen $(TEST_TOOLS)
	XENBINDGEN=$(CURDIR)/tests/valgrind.sh XBG_REAL=$(CURDIR)/$(B)/xenbindgen \
	  TESTBIN=$(CURDIR)/$(B)/tests VALGRIND=1 CC=$(CC) YAML=$(YAML) \
	  $(PYTHON) tests/run.py ^case/ ^fuzz/toml/ ^fuzz/yaml/ ^fuzz/json/ ^fuzz/convert/ \
	  ^fuzz/pipeline/ ^valgrind/

.PHONY: check-valgrind

# Static analysis of src/ (docs/security.md): cppcheck, then clang-tidy with
# the checks of .clang-tidy; any finding fails.  A false positive is
# silenced where it occurs, with its reason.  cppcheck's variableScope is
# off: the code declares its variables at the top of a block on purpose.
# The test hooks are on: that build holds all the code of the other.
CPPCHECK   ?= cppcheck
CLANG_TIDY ?= clang-tidy
# With libclang, src/import/ is linted with HAVE_LIBCLANG and its headers
# (cppcheck gets the macro only: it need not read libclang's headers).
LINT_DEFS   = -D_POSIX_C_SOURCE=200809L -DHAVE_LIBYAML -DXBG_TEST_HOOKS -Isrc
LINT_SRCS   = $(SRCS) build-aux/embed.c
LINT_CLANG  = $(if $(CLANG_CFLAGS),-DHAVE_LIBCLANG)

lint:
	$(CPPCHECK) --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	  --enable=warning,style,performance,portability \
	  --suppress=variableScope $(LINT_DEFS) $(LINT_CLANG) $(LINT_SRCS)
	printf '%s\n' $(LINT_SRCS) | xargs -P2 -I{} $(CLANG_TIDY) --quiet {} \
	  -- -std=c11 $(LINT_DEFS) $(CLANG_CFLAGS)

.PHONY: lint

# Speed, memory and scaling on synthetic corpora and specs/xen (bench/run.py
# says how); not part of check.  BENCH_FLAGS="--sizes 1000,10000" for less.
# The corpus of 100,000 structs (309 MB) is past the default limit on the
# total input of a run (64 MiB, src/base/base.h): the bench measures the same
# code built with a limit of 1 GiB.
BENCH_B = build/bench-tool-$(notdir $(firstword $(CC)))
bench:
	$(MAKE) B=$(BENCH_B) CPPFLAGS="$(CPPFLAGS) -DMAX_TOTAL_SIZE_MIB=1024" \
	  $(BENCH_B)/xenbindgen
	$(PYTHON) bench/run.py --tool $(BENCH_B)/xenbindgen --out build/bench $(BENCH_FLAGS)

.PHONY: bench

demo: xenbindgen
	@sh tests/demo.sh ./xenbindgen specs/xen build/demo

INCDIR  ?= $(PREFIX)/include

install: xenbindgen
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(INCDIR)/xenbindgen
	install -m 755 xenbindgen $(DESTDIR)$(BINDIR)/xenbindgen
	install -m 644 docs/xenbindgen.1 $(DESTDIR)$(MANDIR)/man1/xenbindgen.1
	install -m 644 support/xen-prelude.h $(DESTDIR)$(INCDIR)/xenbindgen/xen-prelude.h

clean:
	rm -rf build xenbindgen tests/out

.PRECIOUS: $(B)/%.o $(B)/tests/%.o $(B)/hooks/%.o

.PHONY: all check check-asan demo install clean test-bins
