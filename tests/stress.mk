# stress: 16 threads x STRESS_OPS operations (default 10,000 each) on shared
# connections, checked against an oracle (tests/stress.c). Ends with
# "stress: N ops, E errors"; exits non-zero on any error.
#   make stress        the plain build (-O2)
#   make stress-tsan   under ThreadSanitizer, STRESS_OPS=2000 unless set
.PHONY: stress stress-tsan

$(B)/stress: tests/stress.c $(HEADER) | $(B)
	$(CC) $(CWARN) -g -O2 $(SQLITE_CFLAGS) -o $@ tests/stress.c $(LIBS)

$(B)/stress-tsan: tests/stress.c $(HEADER) | $(B)
	$(CLANG) $(CWARN) -g -O1 -fsanitize=thread $(SQLITE_CFLAGS) -o $@ tests/stress.c $(LIBS)

stress: check-sqlite $(B)/stress
	@$(B)/stress

stress-tsan: check-sqlite $(B)/stress-tsan
	@STRESS_OPS=$${STRESS_OPS:-2000} TSAN_OPTIONS="halt_on_error=1 $${TSAN_OPTIONS:-}" $(B)/stress-tsan
