// SPDX-License-Identifier: GPL-2.0
/*
 * The ppxdp command line: option tables (loader/options.c), command
 * dispatch by prefix, the JSON writer and pin directory names.
 *
 * Every case runs in its own process (criterion), so the globals the
 * parser sets (usage_error, json_output) start fresh each time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <criterion/redirect.h>

#include "json_writer.h"
#include "main.h"
#include "options.h"
#include "pins.h"

/* A command using every option type. */
struct test_opts {
	const char *name;
	struct opt_iface dev;
	bool force;
	__u32 count;
	double interval;
	unsigned int mode;
	const char *file;
	const char *format;
	struct opt_iface to;
};

static const struct opt_enum test_modes[] = {
	{ "native", 1 },
	{ "generic", 2 },
	{ "auto", 0 },
	{ NULL },
};

static const struct opt_spec test_specs[] = {
	{ .name = "NAME", .type = OPT_STRING,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct test_opts, name), .help = "a name" },
	{ .name = "DEV", .type = OPT_IFNAME, .flags = OPT_POSITIONAL,
	  .offset = offsetof(struct test_opts, dev), .help = "a device" },
	{ .name = "force", .short_name = 'f', .type = OPT_BOOL,
	  .offset = offsetof(struct test_opts, force), .help = "force it" },
	{ .name = "count", .short_name = 'c', .type = OPT_U32,
	  .offset = offsetof(struct test_opts, count), .metavar = "N",
	  .min = 1, .max = 1000, .help = "how many" },
	{ .name = "interval", .short_name = 'i', .type = OPT_DOUBLE,
	  .offset = offsetof(struct test_opts, interval), .metavar = "S",
	  .min = 0.01, .max = 60, .help = "how often" },
	{ .name = "mode", .short_name = 'm', .type = OPT_ENUM,
	  .offset = offsetof(struct test_opts, mode), .enums = test_modes,
	  .help = "which way" },
	{ .name = "file", .type = OPT_STRING,
	  .offset = offsetof(struct test_opts, file), .metavar = "FILE",
	  .help = "input" },
	{ .name = "format", .type = OPT_STRING,
	  .offset = offsetof(struct test_opts, format), .metavar = "FMT",
	  .help = "output format" },
	{ .name = "to", .type = OPT_IFNAME,
	  .offset = offsetof(struct test_opts, to), .metavar = "IF2",
	  .help = "egress" },
	{ NULL },
};

static const struct opt_cmd test_cmd = {
	.name = "test",
	.summary = "A command for the tests.",
	.specs = test_specs,
};

#define MAX_ARGS 8

/* Arguments as arrays: parameters are copied into the test process. */
struct argv_case {
	char args[MAX_ARGS][40];
	int argc;
};

static int parse_case(const struct argv_case *c, struct test_opts *o)
{
	char *argv[MAX_ARGS + 1] = {};
	int i;

	for (i = 0; i < c->argc; i++)
		argv[i] = (char *)c->args[i];
	return opts_parse(&test_cmd, o, c->argc, argv);
}

static void default_opts(struct test_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->count = 10;
	o->interval = 0.5;
	o->mode = 0;
}

/* Good command lines and the options struct they give. */
struct good_case {
	struct argv_case a;
	char name[16];
	int dev_ifindex;
	bool force;
	__u32 count;
	double interval;
	unsigned int mode;
	char file[16];
	int to_ifindex;
};

#define ARGS(...) { .args = { __VA_ARGS__ }, \
		    .argc = sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *) }

ParameterizedTestParameters(options, good_argv)
{
	/* lo is ifindex 1 in every network namespace. */
	static struct good_case cases[] = {
		{ ARGS("x"), "x", 0, false, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "lo"), "x", 1, false, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "--force"), "x", 0, true, 10, 0.5, 0, "", 0 },
		{ ARGS("-f", "x"), "x", 0, true, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "--count", "5"), "x", 0, false, 5, 0.5, 0, "", 0 },
		{ ARGS("x", "--count=7"), "x", 0, false, 7, 0.5, 0, "", 0 },
		{ ARGS("x", "-c", "9"), "x", 0, false, 9, 0.5, 0, "", 0 },
		{ ARGS("x", "-c10"), "x", 0, false, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "--count", "0x10"), "x", 0, false, 16, 0.5, 0, "", 0 },
		{ ARGS("x", "--count", "1000"), "x", 0, false, 1000, 0.5, 0, "", 0 },
		{ ARGS("x", "--interval", "0.25"), "x", 0, false, 10, 0.25, 0, "", 0 },
		{ ARGS("x", "-i2"), "x", 0, false, 10, 2, 0, "", 0 },
		{ ARGS("x", "--mode", "generic"), "x", 0, false, 10, 0.5, 2, "", 0 },
		{ ARGS("x", "-m", "native"), "x", 0, false, 10, 0.5, 1, "", 0 },
		{ ARGS("x", "--mode=auto"), "x", 0, false, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "--file", "a.rules"), "x", 0, false, 10, 0.5, 0, "a.rules", 0 },
		{ ARGS("x", "--to", "lo"), "x", 0, false, 10, 0.5, 0, "", 1 },
		/* unique prefixes of long options */
		{ ARGS("x", "--forc"), "x", 0, true, 10, 0.5, 0, "", 0 },
		{ ARGS("x", "--int", "3"), "x", 0, false, 10, 3, 0, "", 0 },
		{ ARGS("x", "--fi", "f"), "x", 0, false, 10, 0.5, 0, "f", 0 },
		/* clustered short flags, options between positionals */
		{ ARGS("x", "-fc", "3"), "x", 0, true, 3, 0.5, 0, "", 0 },
		{ ARGS("x", "-f", "lo", "-c", "2"), "x", 1, true, 2, 0.5, 0, "", 0 },
		/* "--" ends the options */
		{ ARGS("--", "-dash"), "-dash", 0, false, 10, 0.5, 0, "", 0 },
		{ ARGS("-", "lo"), "-", 1, false, 10, 0.5, 0, "", 0 },
		/* last one wins */
		{ ARGS("x", "-c", "2", "-c", "4"), "x", 0, false, 4, 0.5, 0, "", 0 },
	};

	return cr_make_param_array(struct good_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct good_case *c, options, good_argv)
{
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, parse_case(&c->a, &o), 0));
	cr_assert(eq(str, (char *)o.name, c->name));
	cr_assert(eq(int, o.dev.ifindex, c->dev_ifindex));
	if (c->dev_ifindex)
		cr_assert(eq(str, o.dev.name, "lo"));
	cr_assert(eq(int, o.force, c->force));
	cr_assert(eq(u32, o.count, c->count));
	cr_assert(eq(dbl, o.interval, c->interval));
	cr_assert(eq(uint, o.mode, c->mode));
	cr_assert(eq(str, (char *)(o.file ?: ""), c->file));
	cr_assert(eq(int, o.to.ifindex, c->to_ifindex));
	cr_assert(eq(int, usage_error, false));
}

/* Bad command lines: -EINVAL, a usage error, and this exact message. */
struct bad_case {
	struct argv_case a;
	char err[200];
};

ParameterizedTestParameters(options, bad_argv)
{
	static struct bad_case cases[] = {
		{ { .argc = 0 },
		  "Error: missing NAME (a name); see 'ppxdp test --help'\n" },
		{ ARGS("x", "--bogus"),
		  "Error: unknown option '--bogus' for 'ppxdp test'\n" },
		{ ARGS("x", "--bogus=1"),
		  "Error: unknown option '--bogus' for 'ppxdp test'\n" },
		{ ARGS("x", "-z"),
		  "Error: unknown option '-z' for 'ppxdp test'\n" },
		{ ARGS("x", "-fz"),
		  "Error: unknown option '-z' for 'ppxdp test'\n" },
		{ ARGS("x", "--count"),
		  "Error: option --count needs a value (N)\n" },
		{ ARGS("x", "-c"),
		  "Error: option --count needs a value (N)\n" },
		{ ARGS("x", "--mode"),
		  "Error: option --mode needs a value: one of native|generic|auto\n" },
		{ ARGS("x", "--mode", "turbo"),
		  "Error: invalid --mode 'turbo': expected one of native|generic|auto\n" },
		{ ARGS("x", "--mode", "gen"),
		  "Error: invalid --mode 'gen': expected one of native|generic|auto\n" },
		{ ARGS("x", "--mode", "NATIVE"),
		  "Error: invalid --mode 'NATIVE': expected one of native|generic|auto\n" },
		{ ARGS("x", "--count", "abc"),
		  "Error: --count expects an unsigned 32-bit integer, not 'abc'\n" },
		{ ARGS("x", "--count", "-1"),
		  "Error: --count expects an unsigned 32-bit integer, not '-1'\n" },
		{ ARGS("x", "--count", "4294967296"),
		  "Error: --count expects an unsigned 32-bit integer, not '4294967296'\n" },
		{ ARGS("x", "--count", "0x"),
		  "Error: --count expects an unsigned 32-bit integer, not '0x'\n" },
		{ ARGS("x", "--count", "12k"),
		  "Error: --count expects an unsigned 32-bit integer, not '12k'\n" },
		{ ARGS("x", "--count="),
		  "Error: --count expects an unsigned 32-bit integer, not ''\n" },
		{ ARGS("x", "--count", "0"),
		  "Error: --count '0' is out of range: expected 1 to 1000\n" },
		{ ARGS("x", "--count", "1001"),
		  "Error: --count '1001' is out of range: expected 1 to 1000\n" },
		{ ARGS("x", "--interval", "nan"),
		  "Error: --interval expects a number, not 'nan'\n" },
		{ ARGS("x", "--interval", "inf"),
		  "Error: --interval expects a number, not 'inf'\n" },
		{ ARGS("x", "--interval", "0.5s"),
		  "Error: --interval expects a number, not '0.5s'\n" },
		{ ARGS("x", "--interval", "0"),
		  "Error: --interval '0' is out of range: expected 0.01 to 60\n" },
		{ ARGS("x", "--force=yes"),
		  "Error: option --force takes no value\n" },
		{ ARGS("x", "--f"),
		  "Error: ambiguous option '--f': could be --force, --file, --format\n" },
		{ ARGS("x", "--for"),
		  "Error: ambiguous option '--for': could be --force, --format\n" },
		{ ARGS("x", "nosuchif0"),
		  "Error: no interface 'nosuchif0' in this network namespace (see 'ip link'; -n NAME selects another namespace)\n" },
		{ ARGS("x", "--to", "nosuchif0"),
		  "Error: --to: no interface 'nosuchif0' in this network namespace (see 'ip link'; -n NAME selects another namespace)\n" },
		{ ARGS("x", "--to", "abcdefghijklmnopq"),
		  "Error: --to 'abcdefghijklmnopq' is too long for an interface name (max 15 characters)\n" },
		{ ARGS("x", "lo", "extra"),
		  "Error: unexpected argument 'extra' for 'ppxdp test'\n" },
		{ ARGS("x", "--file", ""),
		  "Error: --file must not be empty\n" },
		{ ARGS("--force"),
		  "Error: missing NAME (a name); see 'ppxdp test --help'\n" },
	};

	return cr_make_param_array(struct bad_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, options, bad_argv,
		  .init = cr_redirect_stderr)
{
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, parse_case(&c->a, &o), -EINVAL));
	cr_assert(eq(int, usage_error, true));
	fflush(stderr);
	cr_assert_stderr_eq_str(c->err);
}

/* IF[,IF...] lists (OPT_IFLIST): lo is the one interface every netns has. */
struct iflist_opts {
	struct opt_iflist to;
};

static const struct opt_spec iflist_specs[] = {
	{ .name = "to", .type = OPT_IFLIST,
	  .offset = offsetof(struct iflist_opts, to), .metavar = "IF[,IF...]",
	  .help = "egress ports" },
	{ NULL },
};

static const struct opt_cmd iflist_cmd = {
	.name = "lst",
	.specs = iflist_specs,
};

Test(options, iflist_one_and_replaced)
{
	char *argv[] = { "--to", "lo", "--to=lo" };
	struct iflist_opts o = {};

	cr_assert(eq(int, opts_parse(&iflist_cmd, &o, 3, argv), 0));
	cr_assert(eq(u32, o.to.nr, 1));
	cr_assert(eq(int, o.to.ifs[0].ifindex, 1));
	cr_assert(eq(str, o.to.ifs[0].name, "lo"));
}

struct iflist_bad {
	char arg[64];
	char err[160];
};

ParameterizedTestParameters(options, iflist_bad)
{
	static struct iflist_bad cases[] = {
		{ "lo,lo", "Error: --to: interface 'lo' given twice\n" },
		{ "lo,", "Error: --to: empty interface name\n" },
		{ ",lo", "Error: --to: empty interface name\n" },
		{ "lo,,lo", "Error: --to: empty interface name\n" },
		{ "lo,nosuch0",
		  "Error: --to: no interface 'nosuch0' in this network namespace (see 'ip link'; -n NAME selects another namespace)\n" },
		{ "0123456789abcdef,lo",
		  "Error: --to '0123456789abcdef' is too long for an interface name (max 15 characters)\n" },
	};

	return cr_make_param_array(struct iflist_bad, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct iflist_bad *c, options, iflist_bad,
		  .init = cr_redirect_stderr)
{
	char *argv[] = { "--to", c->arg };
	struct iflist_opts o = {};

	cr_assert(eq(int, opts_parse(&iflist_cmd, &o, 2, argv), -EINVAL));
	cr_assert(eq(u32, o.to.nr, 0), "a bad list must leave the field alone");
	fflush(stderr);
	cr_assert_stderr_eq_str(c->err);
}

/* A failed parse leaves the fields before the mistake set, nothing more. */
Test(options, bad_value_keeps_default)
{
	struct argv_case a = ARGS("x", "--count", "nope");
	struct test_opts o;

	default_opts(&o);
	cr_redirect_stderr();
	cr_assert(eq(int, parse_case(&a, &o), -EINVAL));
	cr_assert(eq(u32, o.count, 10));
	cr_assert(eq(str, (char *)o.name, "x"));
}

Test(options, help_prints_generated_usage, .init = cr_redirect_stdout)
{
	struct argv_case a = ARGS("x", "--help");
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, parse_case(&a, &o), OPTS_HELP));
	fflush(stdout);
	cr_assert_stdout_eq_str(
		"Usage: ppxdp test NAME [DEV] [--force] [--count N] [--interval S] [--mode native|generic|auto] [--file FILE] [--format FMT] [--to IF2]\n"
		"A command for the tests.\n"
		"\n"
		"  NAME                     a name\n"
		"  DEV                      a device\n"
		"  -f, --force              force it\n"
		"  -c, --count N            how many\n"
		"  -i, --interval S         how often\n"
		"  -m, --mode native|generic|auto\n"
		"                           which way\n"
		"      --file FILE          input\n"
		"      --format FMT         output format\n"
		"      --to IF2             egress\n"
		"\n"
		"Common options:\n"
		"  -j, --json               JSON output on stdout\n"
		"  -p, --pretty             indented JSON output (implies --json)\n"
		"  -v, --verbose            show libbpf's debug messages\n"
		"  -h, --help               show this help\n");
}

Test(options, common_json_after_command)
{
	struct argv_case a = ARGS("x", "-j");
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, json_output, false));
	cr_assert(eq(int, parse_case(&a, &o), 0));
	cr_assert(eq(int, json_output, true));
	cr_assert(eq(int, pretty_output, false));
	cr_assert(ne(ptr, json_wtr, NULL));
}

Test(options, common_pretty_implies_json)
{
	struct argv_case a = ARGS("--pretty", "x");
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, parse_case(&a, &o), 0));
	cr_assert(eq(int, json_output, true));
	cr_assert(eq(int, pretty_output, true));
}

/* In JSON mode a usage error is one {"error": ...} document on stdout. */
Test(options, json_error_document, .init = cr_redirect_stdout)
{
	struct argv_case a = ARGS("-j", "x", "--mode", "x\"y");
	struct test_opts o;

	default_opts(&o);
	cr_assert(eq(int, parse_case(&a, &o), -EINVAL));
	jsonw_destroy(&json_wtr);
	fflush(stdout);
	cr_assert_stdout_eq_str(
		"{\"error\":\"invalid --mode 'x\\\"y': expected one of native|generic|auto\"}\n");
}

Test(options, enum_lookup)
{
	unsigned int v = 99;

	cr_assert(eq(int, opt_enum_lookup(xdp_action_names, "tx", &v), 0));
	cr_assert(eq(uint, v, 3)); /* XDP_TX */
	cr_assert(eq(int, opt_enum_lookup(xdp_action_names, "redirect", &v),
		     -EINVAL));
	cr_assert(eq(uint, v, 3));
	cr_assert(eq(str, (char *)opt_enum_name(xdp_action_names, 1), "drop"));
	cr_assert(eq(ptr, (void *)opt_enum_name(xdp_action_names, 4), NULL));
}

/* Command dispatch. */

static int last_cmd;
static int last_argc;

static int cmd_attach(int argc, char **argv)
{
	last_cmd = 1;
	last_argc = argc;
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	last_cmd = 2;
	last_argc = argc;
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	last_cmd = 3;
	last_argc = argc;
	return -ENOENT;
}

static int cmd_show(int argc, char **argv)
{
	last_cmd = 4;
	last_argc = argc;
	return 0;
}

static int cmd_showall(int argc, char **argv)
{
	last_cmd = 5;
	last_argc = argc;
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	last_cmd = 9;
	last_argc = argc;
	return 0;
}

static const struct cmd test_cmds[] = {
	{ "attach", cmd_attach },
	{ "status", cmd_status },
	{ "stats", cmd_stats },
	{ "showall", cmd_showall },
	{ "show", cmd_show },
	{ NULL },
};

struct select_case {
	struct argv_case a;
	int ret;
	int cmd;  /* 0: none called */
	int argc; /* what the command got */
	char err[120];
};

ParameterizedTestParameters(cmd_select, words)
{
	static struct select_case cases[] = {
		{ ARGS("attach", "lo", "drop"), 0, 1, 2, "" },
		{ ARGS("att", "lo"), 0, 1, 1, "" },
		{ ARGS("a"), 0, 1, 0, "" },
		{ ARGS("status"), 0, 2, 0, "" },
		{ ARGS("statu"), 0, 2, 0, "" },
		{ ARGS("stats", "x"), -ENOENT, 3, 1, "" },
		/* an exact name wins over a longer command it prefixes */
		{ ARGS("show"), 0, 4, 0, "" },
		{ ARGS("showa"), 0, 5, 0, "" },
		{ { .argc = 0 }, 0, 9, 0, "" },
		{ ARGS("sta"), -EINVAL, 0, 0,
		  "Error: ambiguous command 'sta': could be status, stats\n" },
		{ ARGS("s"), -EINVAL, 0, 0,
		  "Error: ambiguous command 's': could be status, stats, showall, show\n" },
		{ ARGS("frob"), -EINVAL, 0, 0,
		  "Error: unknown command 'frob': try 'ppxdp help'\n" },
		{ ARGS("attachx"), -EINVAL, 0, 0,
		  "Error: unknown command 'attachx': try 'ppxdp help'\n" },
	};

	return cr_make_param_array(struct select_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct select_case *c, cmd_select, words,
		  .init = cr_redirect_stderr)
{
	char *argv[MAX_ARGS + 1] = {};
	int i;

	for (i = 0; i < c->a.argc; i++)
		argv[i] = c->a.args[i];
	cr_assert(eq(int, cmd_select(test_cmds, c->a.argc, argv, cmd_help),
		     c->ret));
	cr_assert(eq(int, last_cmd, c->cmd));
	cr_assert(eq(int, last_argc, c->argc));
	cr_assert(eq(int, usage_error, c->ret == -EINVAL));
	fflush(stderr);
	cr_assert_stderr_eq_str(c->err);
}

Test(cmd_select, is_prefix)
{
	cr_assert(is_prefix("st", "status"));
	cr_assert(is_prefix("status", "status"));
	cr_assert(not(is_prefix("statusx", "status")));
	cr_assert(not(is_prefix("x", "status")));
	cr_assert(not(is_prefix(NULL, "status")));
}

/* JSON writer. */

static char *json_out;
static size_t json_len;

static json_writer_t *memstream_writer(FILE **f)
{
	*f = open_memstream(&json_out, &json_len);
	cr_assert(ne(ptr, *f, NULL));
	return jsonw_new(*f);
}

static void sample_document(json_writer_t *w)
{
	jsonw_start_object(w);
	jsonw_string_field(w, "s", "a\"b\\c\n\t\x01");
	jsonw_uint_field(w, "u", 18446744073709551615ULL);
	jsonw_int_field(w, "i", -5);
	jsonw_float_field(w, "f", 0.1);
	jsonw_float_field(w, "big", 16000000);
	jsonw_float_field(w, "nan", 0.0 / 0.0);
	jsonw_bool_field(w, "t", true);
	jsonw_null_field(w, "n");
	jsonw_name(w, "a");
	jsonw_start_array(w);
	jsonw_uint(w, 1);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

Test(json_writer, compact)
{
	json_writer_t *w;
	FILE *f;

	w = memstream_writer(&f);
	sample_document(w);
	jsonw_destroy(&w);
	fclose(f);
	cr_assert(eq(str, json_out,
		     "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"u\":18446744073709551615,"
		     "\"i\":-5,\"f\":0.1,\"big\":16000000,\"nan\":null,"
		     "\"t\":true,\"n\":null,\"a\":[1,{},[]]}\n"));
	free(json_out);
}

Test(json_writer, pretty)
{
	json_writer_t *w;
	FILE *f;

	w = memstream_writer(&f);
	jsonw_pretty(w, true);
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_string_field(w, "ifname", "veth0");
	jsonw_name(w, "counters");
	jsonw_start_object(w);
	jsonw_uint_field(w, "packets", 3);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_destroy(&w);
	fclose(f);
	cr_assert(eq(str, json_out,
		     "[\n"
		     "    {\n"
		     "        \"ifname\": \"veth0\",\n"
		     "        \"counters\": {\n"
		     "            \"packets\": 3\n"
		     "        }\n"
		     "    }\n"
		     "]\n"));
	free(json_out);
}

/* Top-level values end their line: a stream of documents is JSON Lines. */
Test(json_writer, documents_one_per_line)
{
	json_writer_t *w;
	FILE *f;

	w = memstream_writer(&f);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_start_array(w);
	jsonw_uint(w, 2);
	jsonw_end_array(w);
	jsonw_string(w, "x");
	jsonw_destroy(&w);
	fclose(f);
	cr_assert(eq(str, json_out, "[]\n[2]\n\"x\"\n"));
	free(json_out);
}

/* An unfinished document is closed on destroy. */
Test(json_writer, destroy_closes_open_containers)
{
	json_writer_t *w;
	FILE *f;

	w = memstream_writer(&f);
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_name(w, "k");
	jsonw_start_array(w);
	jsonw_destroy(&w);
	fclose(f);
	cr_assert(eq(ptr, w, NULL));
	cr_assert(eq(str, json_out, "[{\"k\":[]}]\n"));
	free(json_out);
}

/* Pin directory names. */

struct pin_name_case {
	char name[40];
	int ret;
	char ifname[16];
	__u64 ino;
};

ParameterizedTestParameters(pins, dir_names)
{
	static struct pin_name_case cases[] = {
		{ "veth0", 0, "veth0", PROC_NET_INIT_INO },
		{ "veth0@4026532317", 0, "veth0", 4026532317ULL },
		{ "a@b@12", 0, "a@b", 12 },
		{ "a@b", 0, "a@b", PROC_NET_INIT_INO },
		{ "a@", 0, "a@", PROC_NET_INIT_INO },
		{ "abcdefghijklmno", 0, "abcdefghijklmno", PROC_NET_INIT_INO },
		{ "abcdefghijklmnop", -EINVAL, "", 0 },
		{ "@12", -EINVAL, "", 0 },
		{ "", -EINVAL, "", 0 },
		{ "staging:12:veth0", -EINVAL, "", 0 },
	};

	return cr_make_param_array(struct pin_name_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct pin_name_case *c, pins, dir_names)
{
	char ifname[16] = "";
	__u64 ino = 0;

	cr_assert(eq(int, pin_dir_parse(c->name, ifname, sizeof(ifname), &ino),
		     c->ret));
	if (c->ret)
		return;
	cr_assert(eq(str, ifname, c->ifname));
	cr_assert(eq(u64, ino, c->ino));
}

Test(pins, path_join)
{
	char buf[16];

	cr_assert(eq(int, pin_path(buf, sizeof(buf), "/a/b", "link"), 0));
	cr_assert(eq(str, buf, "/a/b/link"));
	/* 15 characters and the NUL just fit */
	cr_assert(eq(int, pin_path(buf, sizeof(buf), "/a/b", "0123456789"), 0));
	cr_assert(eq(int, pin_path(buf, sizeof(buf), "/a/b", "0123456789a"),
		     -ENAMETOOLONG));
}

Test(pins, init_netns_inode)
{
	cr_assert(netns_is_init(0xEFFFFFF9ULL));
	cr_assert(not(netns_is_init(4026532317ULL)));
}

/* pin_mkdir() and pin_rmdir() only use mkdir/unlink: any file system. */
Test(pins, mkdir_rmdir)
{
	char base[] = "/tmp/ppxdp-unit-XXXXXX", dir[64], file[80];
	struct stat st;
	FILE *f;

	cr_assert(ne(ptr, mkdtemp(base), NULL));
	snprintf(dir, sizeof(dir), "%s/a/b", base);
	cr_assert(eq(int, pin_mkdir(dir), 0));
	cr_assert(eq(int, pin_mkdir(dir), 0)); /* already there */
	snprintf(file, sizeof(file), "%s/link", dir);
	f = fopen(file, "w");
	cr_assert(ne(ptr, f, NULL));
	fclose(f);
	cr_assert(eq(int, pin_rmdir(dir), 0));
	cr_assert(eq(int, stat(dir, &st), -1));
	cr_assert(eq(int, pin_rmdir(dir), 0)); /* gone already */
	snprintf(dir, sizeof(dir), "%s/a", base);
	cr_assert(eq(int, pin_rmdir(dir), 0));
	cr_assert(eq(int, pin_rmdir(base), 0));
	cr_assert(eq(int, stat(base, &st), -1));
}
