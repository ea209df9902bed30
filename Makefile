# cm - a Unix toolkit for social-media community management
# GNU make.  make; make check; make sanitize; make install PREFIX=/usr/local

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/cm
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wundef -Wvla -Wno-unused-parameter
CPPFLAGS_CM = -Ilib -D_GNU_SOURCE -DCM_VERSION='"$(VERSION)"' \
	-DCM_DATADIR='"$(DATADIR)"'
CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
SQLITE_LIBS := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
# OpenSSL's libcrypto (libssl-dev): SHA-256 of cm-reply's idempotency keys;
# libcurl4-openssl-dev links it already.
CRYPTO_LIBS := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || \
	echo -I/usr/include/libxml2)
XML_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
# ICU (letters, digits, lower case of the text rules) comes with
# libxml2-dev, and Debian's libxml2 is linked with it.
ICU_CFLAGS := $(shell pkg-config --cflags icu-uc 2>/dev/null)
ICU_LIBS := $(shell pkg-config --libs icu-uc 2>/dev/null || echo -licuuc -licudata)
DEP_CFLAGS = $(CURL_CFLAGS) $(XML_CFLAGS) $(ICU_CFLAGS)
# Debian's libjq-dev and libcsv-dev ship no pkg-config file.
LIBS = $(CURL_LIBS) -ljq -lcsv $(SQLITE_LIBS) $(XML_LIBS) $(ICU_LIBS) \
	$(CRYPTO_LIBS) -lm -pthread

B = build
ALL_CFLAGS = $(CPPFLAGS_CM) $(DEP_CFLAGS) $(CPPFLAGS) $(WARNINGS) $(CFLAGS)

LIB_SRC = $(wildcard lib/*/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
PROGS = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
BINS = $(PROGS:%=$(B)/%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNITS = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCHES = $(BENCH_SRC:bench/%.c=$(B)/bench/%)
MAN = $(wildcard man/*.[157])
DEPS = $(LIB_OBJ:.o=.d) $(BINS:=.d) $(UNITS:=.d) $(BENCHES:=.d)

all: $(BINS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libcm.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/cm-%: cmd/cm-%.c $(B)/libcm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(B)/libcm.a $(LIBS)

$(B)/cm: cmd/cm.c $(B)/libcm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(B)/libcm.a $(LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libcm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(B)/libcm.a $(LIBS)

$(B)/bench/%: bench/%.c $(B)/libcm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d $(LDFLAGS) -o $@ $< $(B)/libcm.a $(LIBS)

units: $(UNITS)
benchbin: $(BENCHES)

# The suite: TAP scripts (shell and the C unit tests) under prove.
check: all units benchbin
	CM_BUILD=$(CURDIR)/$(B) prove -j2 $(PROVE_FLAGS) tests/*.t

# The whole suite again under AddressSanitizer and UBSan, in its own tree.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
sanitize:
	$(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all units benchbin
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	CM_BUILD=$(CURDIR)/build-san CM_SANITIZED=1 prove -j2 $(PROVE_FLAGS) tests/*.t

# The suite's programs under valgrind's memcheck (slow: a subset of runs).
valgrind: all units
	CM_BUILD=$(CURDIR)/$(B) CM_VALGRIND=1 prove -j2 $(PROVE_FLAGS) tests/*.t

# Fuzz harnesses (clang libFuzzer): make fuzz; FUZZ_SECONDS per harness.
FUZZ_SECONDS ?= 20
FUZZ_SRC = $(wildcard tests/fuzz/*.c)
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_LIB_SRC = $(LIB_SRC)
# The library is compiled for the fuzzers once, each harness linked to it.
FUZZ_LIB_OBJ = $(patsubst lib/%.c,$(B)/fuzz/obj/%.o,$(FUZZ_LIB_SRC))
$(B)/fuzz/obj/%.o: lib/%.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS_CM) $(DEP_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

# Each harness is a target of its own, so that make -j2 fuzz runs two at
# once.
FUZZ_NAMES = $(FUZZ_SRC:tests/fuzz/%.c=%)
$(B)/fuzz/bin/%: tests/fuzz/%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	@echo "clang $*"
	@clang $(CPPFLAGS_CM) $(DEP_CFLAGS) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

fuzz-run-%: $(B)/fuzz/bin/%
	@mkdir -p $(B)/fuzz/corpus-$*
	@echo "fuzz $* for $(FUZZ_SECONDS)s"
	@seeds=tests/fuzz/seeds/$*; [ -d $$seeds ] || seeds=; \
	  supp=tests/fuzz/$*.supp; [ -f $$supp ] && supp=suppressions=$(CURDIR)/$$supp || supp=; \
	  LSAN_OPTIONS=$$supp $(B)/fuzz/bin/$* -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -print_final_stats=0 $(B)/fuzz/corpus-$* $$seeds 2>$(B)/fuzz/$*.log \
	    || { tail -40 $(B)/fuzz/$*.log; exit 1; }

fuzz: $(FUZZ_NAMES:%=fuzz-run-%)

# Real recorded answers (see ../shared/conformance/README.md) replayed on
# loopback to cm-fetch, its records checked against the payloads; read
# where they lie, never copied.  Not part of make check.
conformance: all
	@[ -n "$(CONFORMANCE_DIR)" ] || { echo "make conformance CONFORMANCE_DIR=DIR" >&2; exit 2; }
	./tests/conformance/run.sh $(B) "$(CONFORMANCE_DIR)"

demo: all
	@./tests/demo.sh $(B)

bench: all benchbin
	./bench/run.sh $(B)

lint-man:
	mandoc -Tlint -Wwarning $(MAN)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR) \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	for m in $(MAN); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done
	for f in data/*; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(DATADIR); done; true
	for p in $(PROGS); do install -m 644 completions/cm.bash $(DESTDIR)$(BASHCOMPDIR)/$$p || exit 1; done
	install -m 644 completions/_cm $(DESTDIR)$(ZSHCOMPDIR)/_cm
	for p in $(PROGS); do install -m 644 completions/$$p.fish $(DESTDIR)$(FISHCOMPDIR)/$$p.fish || exit 1; done

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(BASHCOMPDIR)/$$p $(DESTDIR)$(FISHCOMPDIR)/$$p.fish; done
	for m in $(MAN); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_cm
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san demo-report.html demo.ndjson scored.ndjson drafts.ndjson

.PHONY: all units benchbin check sanitize valgrind fuzz conformance demo bench lint-man install uninstall clean
-include $(DEPS)
