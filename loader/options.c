// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line plumbing shared by every command: the global output state,
 * error reporting, command dispatch by unique prefix (bpftool's cmd_select)
 * and table-driven option parsing with generated usage text.
 *
 * This lives outside main.c so the unit tests, which link every loader
 * object except main.o, can exercise it.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "main.h"
#include "options.h"

const char *bin_name = "ppxdp";
bool verbose;
bool json_output;
bool pretty_output;
bool usage_error;
json_writer_t *json_wtr;

static void p_json_err(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "error", msg);
	jsonw_end_object(json_wtr);
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (json_output && json_wtr) {
		p_json_err(fmt, ap);
	} else {
		fputs("Error: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

int p_usage_err(const char *fmt, ...)
{
	va_list ap;

	usage_error = true;
	va_start(ap, fmt);
	if (json_output && json_wtr) {
		p_json_err(fmt, ap);
	} else {
		fputs("Error: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
	return -EINVAL;
}

void p_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("Warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void p_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("Note: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int json_output_enable(bool pretty)
{
	json_output = true;
	pretty_output |= pretty;
	if (!json_wtr) {
		json_wtr = jsonw_new(stdout);
		if (!json_wtr) {
			json_output = false;
			p_err("out of memory for the JSON writer");
			return -ENOMEM;
		}
	}
	jsonw_pretty(json_wtr, pretty_output);
	return 0;
}

static int libbpf_print_all(enum libbpf_print_level level, const char *fmt,
			    va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

/* Without -v libbpf stays silent: ppxdp reports failures itself. */
void verbose_enable(bool on)
{
	verbose = on;
	libbpf_set_print(on ? libbpf_print_all : NULL);
}

bool is_prefix(const char *pfx, const char *str)
{
	if (!pfx || !str)
		return false;
	return !strncmp(str, pfx, strlen(pfx));
}

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv))
{
	const struct cmd *found = NULL;
	int i, nr_match = 0;

	if (argc < 1)
		return help ? help(argc, argv) : p_usage_err("missing command");

	for (i = 0; cmds[i].name; i++) {
		if (!strcmp(argv[0], cmds[i].name)) {
			found = &cmds[i];
			nr_match = 1;
			break;
		}
		if (is_prefix(argv[0], cmds[i].name)) {
			found = &cmds[i];
			nr_match++;
		}
	}
	if (nr_match == 1)
		return found->func(argc - 1, argv + 1);

	if (nr_match > 1) {
		char names[256] = "";
		size_t len = 0;

		for (i = 0; cmds[i].name && len < sizeof(names); i++)
			if (is_prefix(argv[0], cmds[i].name))
				len += snprintf(names + len, sizeof(names) - len,
						"%s%s", len ? ", " : "",
						cmds[i].name);
		return p_usage_err("ambiguous command '%s': could be %s",
				   argv[0], names);
	}
	return p_usage_err("unknown command '%s': try '%s help'", argv[0],
			   bin_name);
}

/* Option parsing. */

#define OPTS_MAX 32 /* specs per command, common options included */

const struct opt_enum xdp_action_names[] = {
	{ "drop", XDP_DROP },
	{ "pass", XDP_PASS },
	{ "tx", XDP_TX },
	{ NULL },
};

struct common_opts {
	bool json;
	bool pretty;
	bool verbose;
	bool help;
};

static const struct opt_spec common_specs[] = {
	{ .name = "json", .short_name = 'j', .type = OPT_BOOL,
	  .offset = offsetof(struct common_opts, json),
	  .help = "JSON output on stdout" },
	{ .name = "pretty", .short_name = 'p', .type = OPT_BOOL,
	  .offset = offsetof(struct common_opts, pretty),
	  .help = "indented JSON output (implies --json)" },
	{ .name = "verbose", .short_name = 'v', .type = OPT_BOOL,
	  .offset = offsetof(struct common_opts, verbose),
	  .help = "show libbpf's debug messages" },
	{ .name = "help", .short_name = 'h', .type = OPT_BOOL,
	  .offset = offsetof(struct common_opts, help),
	  .help = "show this help" },
	{ NULL },
};

/* One place an option can be bound: a spec and the struct it writes. */
struct opt_ref {
	const struct opt_spec *spec;
	void *base;
	int idx; /* index in the "seen" array */
};

struct opt_parser {
	const struct opt_cmd *cmd;
	void *cfg;
	struct common_opts common;
	bool seen[OPTS_MAX];
	int nr_cmd_specs;
};

int opt_enum_lookup(const struct opt_enum *enums, const char *name,
		    unsigned int *value)
{
	for (; enums->name; enums++) {
		if (!strcmp(enums->name, name)) {
			*value = enums->value;
			return 0;
		}
	}
	return -EINVAL;
}

const char *opt_enum_name(const struct opt_enum *enums, unsigned int value)
{
	for (; enums->name; enums++)
		if (enums->value == value)
			return enums->name;
	return NULL;
}

/* "drop|pass|tx" */
static void enum_list(const struct opt_enum *enums, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; enums->name && off < len; enums++)
		off += snprintf(buf + off, len - off, "%s%s", off ? "|" : "",
				enums->name);
}

/* How an argument is named in messages: "--mode" or "IF". */
static void spec_label(const struct opt_spec *s, char *buf, size_t len)
{
	if (s->flags & OPT_POSITIONAL)
		snprintf(buf, len, "%s", s->name);
	else
		snprintf(buf, len, "--%s", s->name);
}

static int parse_u32(const char *s, __u32 *out)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		base = 16;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || end == s || v > UINT32_MAX ||
	    (base == 16 && end == s + 2))
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

static int range_check(const struct opt_spec *s, const char *label, double v,
		       const char *arg)
{
	if (s->min < s->max && (v < s->min || v > s->max))
		return p_usage_err("%s '%s' is out of range: expected %g to %g",
				   label, arg, s->min, s->max);
	return 0;
}

/* One interface name, len bytes of name, of the current namespace. */
static int set_iface(const struct opt_spec *s, const char *label,
		     const char *name, size_t len, struct opt_iface *out)
{
	char buf[IF_NAMESIZE];
	int ifindex;

	if (!len)
		return p_usage_err("%s: empty interface name", label);
	if (len >= IF_NAMESIZE)
		return p_usage_err("%s '%.*s' is too long for an interface name (max %d characters)",
				   label, (int)len, name, IF_NAMESIZE - 1);
	memcpy(buf, name, len);
	buf[len] = '\0';
	ifindex = if_nametoindex(buf);
	if (!ifindex)
		return p_usage_err("%s%sno interface '%s' in this network namespace (see 'ip link'; -n NAME selects another namespace)",
				   s->flags & OPT_POSITIONAL ? "" : label,
				   s->flags & OPT_POSITIONAL ? "" : ": ", buf);
	memcpy(out->name, buf, len + 1);
	out->ifindex = ifindex;
	return 0;
}

/* IF[,IF...]: every name exists, none twice. Replaces an earlier value. */
static int set_iflist(const struct opt_spec *s, const char *label,
		      const char *arg, struct opt_iflist *out)
{
	struct opt_iflist l = {};
	const char *p = arg, *comma;
	unsigned int i;
	int err;

	for (;;) {
		comma = strchr(p, ',');
		if (l.nr == OPT_IFLIST_MAX)
			return p_usage_err("%s: more than %d interfaces", label,
					   OPT_IFLIST_MAX);
		err = set_iface(s, label, p, comma ? (size_t)(comma - p) :
				strlen(p), &l.ifs[l.nr]);
		if (err)
			return err;
		for (i = 0; i < l.nr; i++)
			if (l.ifs[i].ifindex == l.ifs[l.nr].ifindex)
				return p_usage_err("%s: interface '%s' given twice",
						   label, l.ifs[l.nr].name);
		l.nr++;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = l;
	return 0;
}

static int set_value(const struct opt_ref *ref, const char *arg)
{
	const struct opt_spec *s = ref->spec;
	char *field = (char *)ref->base + s->offset;
	char label[64], list[256];
	unsigned int ev;
	double d;
	__u32 u;

	spec_label(s, label, sizeof(label));
	switch (s->type) {
	case OPT_BOOL:
		*(bool *)field = true;
		return 0;
	case OPT_STRING:
		if (!*arg)
			return p_usage_err("%s must not be empty", label);
		*(const char **)field = arg;
		return 0;
	case OPT_U32:
		if (parse_u32(arg, &u))
			return p_usage_err("%s expects an unsigned 32-bit integer, not '%s'",
					   label, arg);
		if (range_check(s, label, u, arg))
			return -EINVAL;
		*(__u32 *)field = u;
		return 0;
	case OPT_DOUBLE:
		if (parse_double(arg, &d))
			return p_usage_err("%s expects a number, not '%s'", label,
					   arg);
		if (range_check(s, label, d, arg))
			return -EINVAL;
		*(double *)field = d;
		return 0;
	case OPT_ENUM:
		if (opt_enum_lookup(s->enums, arg, &ev)) {
			enum_list(s->enums, list, sizeof(list));
			return p_usage_err("invalid %s '%s': expected one of %s",
					   label, arg, list);
		}
		*(unsigned int *)field = ev;
		return 0;
	case OPT_IFNAME:
		return set_iface(s, label, arg, strlen(arg),
				 (struct opt_iface *)field);
	case OPT_IFLIST:
		return set_iflist(s, label, arg, (struct opt_iflist *)field);
	}
	return -EINVAL;
}

static int nr_specs(const struct opt_spec *specs)
{
	int n = 0;

	while (specs && specs[n].name)
		n++;
	return n;
}

/* Walk command specs then common specs as one list. */
static bool ref_at(struct opt_parser *p, int i, struct opt_ref *ref)
{
	if (i < p->nr_cmd_specs) {
		ref->spec = &p->cmd->specs[i];
		ref->base = p->cfg;
	} else if (common_specs[i - p->nr_cmd_specs].name) {
		ref->spec = &common_specs[i - p->nr_cmd_specs];
		ref->base = &p->common;
	} else {
		return false;
	}
	ref->idx = i;
	return true;
}

/* Long option by exact name, else by unique prefix (like getopt_long). */
static int find_long(struct opt_parser *p, const char *name, size_t len,
		     struct opt_ref *out)
{
	struct opt_ref ref;
	int i, nr_match = 0;

	for (i = 0; ref_at(p, i, &ref); i++) {
		if (ref.spec->flags & OPT_POSITIONAL)
			continue;
		if (strncmp(ref.spec->name, name, len))
			continue;
		if (strlen(ref.spec->name) == len) {
			*out = ref;
			return 0;
		}
		if (!nr_match)
			*out = ref;
		nr_match++;
	}
	if (nr_match == 1)
		return 0;
	if (nr_match > 1) {
		char names[256] = "";
		size_t off = 0;

		for (i = 0; ref_at(p, i, &ref) && off < sizeof(names); i++)
			if (!(ref.spec->flags & OPT_POSITIONAL) &&
			    !strncmp(ref.spec->name, name, len))
				off += snprintf(names + off, sizeof(names) - off,
						"%s--%s", off ? ", " : "",
						ref.spec->name);
		return p_usage_err("ambiguous option '--%.*s': could be %s",
				   (int)len, name, names);
	}
	return p_usage_err("unknown option '--%.*s' for '%s %s'", (int)len,
			   name, bin_name, p->cmd->name);
}

static int find_short(struct opt_parser *p, char c, struct opt_ref *out)
{
	struct opt_ref ref;
	int i;

	for (i = 0; ref_at(p, i, &ref); i++) {
		if (ref.spec->short_name == c &&
		    !(ref.spec->flags & OPT_POSITIONAL)) {
			*out = ref;
			return 0;
		}
	}
	return p_usage_err("unknown option '-%c' for '%s %s'", c, bin_name,
			   p->cmd->name);
}

static int missing_value(const struct opt_ref *ref)
{
	char list[256];

	if (ref->spec->type == OPT_ENUM) {
		enum_list(ref->spec->enums, list, sizeof(list));
		return p_usage_err("option --%s needs a value: one of %s",
				   ref->spec->name, list);
	}
	return p_usage_err("option --%s needs a value (%s)", ref->spec->name,
			   ref->spec->metavar ?: "VALUE");
}

/* "--name", "--name=value" or "--name value"; *i is advanced. */
static int parse_long(struct opt_parser *p, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	struct opt_ref ref;
	int err;

	err = find_long(p, name, len, &ref);
	if (err)
		return err;
	p->seen[ref.idx] = true;
	if (ref.spec->type == OPT_BOOL) {
		if (eq)
			return p_usage_err("option --%s takes no value",
					   ref.spec->name);
		return set_value(&ref, NULL);
	}
	if (eq)
		return set_value(&ref, eq + 1);
	if (*i + 1 >= argc)
		return missing_value(&ref);
	return set_value(&ref, argv[++*i]);
}

/* "-x", "-xy" (flags), "-xVALUE" or "-x VALUE"; *i is advanced. */
static int parse_short(struct opt_parser *p, int argc, char **argv, int *i)
{
	const char *c;
	struct opt_ref ref;
	int err;

	for (c = argv[*i] + 1; *c; c++) {
		err = find_short(p, *c, &ref);
		if (err)
			return err;
		p->seen[ref.idx] = true;
		if (ref.spec->type == OPT_BOOL) {
			err = set_value(&ref, NULL);
			if (err)
				return err;
			continue;
		}
		if (c[1])
			return set_value(&ref, c + 1);
		if (*i + 1 >= argc)
			return missing_value(&ref);
		return set_value(&ref, argv[++*i]);
	}
	return 0;
}

static int parse_positional(struct opt_parser *p, const char *arg, int *next)
{
	struct opt_ref ref;

	for (; *next < p->nr_cmd_specs; (*next)++) {
		ref_at(p, *next, &ref);
		if (!(ref.spec->flags & OPT_POSITIONAL))
			continue;
		p->seen[ref.idx] = true;
		(*next)++;
		return set_value(&ref, arg);
	}
	return p_usage_err("unexpected argument '%s' for '%s %s'", arg,
			   bin_name, p->cmd->name);
}

static int check_required(struct opt_parser *p)
{
	const struct opt_spec *s;
	int i;

	for (i = 0; i < p->nr_cmd_specs; i++) {
		s = &p->cmd->specs[i];
		if (!(s->flags & OPT_REQUIRED) || p->seen[i])
			continue;
		if (s->flags & OPT_POSITIONAL)
			return p_usage_err("missing %s (%s); see '%s %s --help'",
					   s->name, s->help, bin_name,
					   p->cmd->name);
		return p_usage_err("missing option --%s (%s)", s->name,
				   s->help);
	}
	return 0;
}

static int apply_common(const struct common_opts *c)
{
	if (c->verbose && !verbose)
		verbose_enable(true);
	if ((c->json || c->pretty) &&
	    (!json_output || (c->pretty && !pretty_output)))
		return json_output_enable(c->pretty);
	return 0;
}

int opts_parse(const struct opt_cmd *cmd, void *cfg, int argc, char **argv)
{
	struct opt_parser p = { .cmd = cmd, .cfg = cfg };
	bool only_positional = false;
	int i, next_pos = 0, err;

	p.nr_cmd_specs = nr_specs(cmd->specs);
	if (p.nr_cmd_specs + nr_specs(common_specs) > OPTS_MAX)
		return p_usage_err("internal: too many options for '%s'",
				   cmd->name);

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_positional && !strcmp(arg, "--")) {
			only_positional = true;
			continue;
		}
		if (only_positional || arg[0] != '-' || !arg[1])
			err = parse_positional(&p, arg, &next_pos);
		else if (arg[1] == '-')
			err = parse_long(&p, argc, argv, &i);
		else
			err = parse_short(&p, argc, argv, &i);
		/* At once, so that later mistakes are reported in JSON. */
		if (!err)
			err = apply_common(&p.common);
		if (err)
			return err;
	}

	if (p.common.help) {
		opts_usage(cmd, stdout);
		return OPTS_HELP;
	}
	return check_required(&p);
}

/* "--mode native|generic|auto" or "IF" or "--force" */
static void spec_synopsis(const struct opt_spec *s, char *buf, size_t len)
{
	char list[256];

	if (s->flags & OPT_POSITIONAL) {
		snprintf(buf, len, "%s", s->name);
	} else if (s->type == OPT_BOOL) {
		snprintf(buf, len, "--%s", s->name);
	} else if (s->type == OPT_ENUM && !s->metavar) {
		enum_list(s->enums, list, sizeof(list));
		snprintf(buf, len, "--%s %s", s->name, list);
	} else {
		snprintf(buf, len, "--%s %s", s->name, s->metavar ?: "VALUE");
	}
}

void opts_synopsis(const struct opt_cmd *cmd, FILE *f)
{
	const struct opt_spec *s;
	char buf[300];

	fprintf(f, "%s %s", bin_name, cmd->name);
	for (s = cmd->specs; s && s->name; s++) {
		spec_synopsis(s, buf, sizeof(buf));
		fprintf(f, (s->flags & OPT_REQUIRED) ? " %s" : " [%s]", buf);
	}
	fputc('\n', f);
}

static void spec_usage_line(const struct opt_spec *s, FILE *f)
{
	char left[300], list[256], flag[8] = "    ";
	const char *val = s->metavar ?: "VALUE";

	if (s->type == OPT_ENUM && !s->metavar) {
		enum_list(s->enums, list, sizeof(list));
		val = list;
	}
	if (s->short_name)
		snprintf(flag, sizeof(flag), "-%c, ", s->short_name);
	if (s->flags & OPT_POSITIONAL)
		snprintf(left, sizeof(left), "%s", s->name);
	else if (s->type == OPT_BOOL)
		snprintf(left, sizeof(left), "%s--%s", flag, s->name);
	else
		snprintf(left, sizeof(left), "%s--%s %s", flag, s->name, val);

	if (strlen(left) > 24)
		fprintf(f, "  %s\n  %-24s %s", left, "", s->help ?: "");
	else
		fprintf(f, "  %-24s %s", left, s->help ?: "");
	if (s->type == OPT_ENUM &&
	    (val != list || (s->flags & OPT_POSITIONAL))) {
		enum_list(s->enums, list, sizeof(list));
		fprintf(f, " (%s)", list);
	}
	fputc('\n', f);
}

void opts_usage(const struct opt_cmd *cmd, FILE *f)
{
	const struct opt_spec *s;

	fputs("Usage: ", f);
	opts_synopsis(cmd, f);
	if (cmd->summary)
		fprintf(f, "%s\n", cmd->summary);
	fputc('\n', f);
	for (s = cmd->specs; s && s->name; s++)
		spec_usage_line(s, f);
	fputs("\nCommon options:\n", f);
	for (s = common_specs; s->name; s++)
		spec_usage_line(s, f);
}
