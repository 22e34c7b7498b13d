// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp: attach the XDP programs of xdp-progs/ with pinned links, show
 * their counters, and trace page_pool recycling. bpftool-style dispatch:
 * global options, then a command from cmds[] chosen by unique prefix.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "main.h"
#include "options.h"
#include "pins.h"

#ifndef PPXDP_VERSION
#define PPXDP_VERSION "0.1.0"
#endif

static int do_help(int argc, char **argv)
{
	FILE *f = stdout;

	fprintf(f, "Usage: %s [OPTIONS] COMMAND [ARGS]\n\n", bin_name);
	fprintf(f, "Commands:\n  ");
	opts_synopsis(&attach_cmd, f);
	fprintf(f, "  ");
	opts_synopsis(&detach_cmd, f);
	fprintf(f, "  ");
	opts_synopsis(&status_cmd, f);
	fprintf(f,
		"  %s rules { check FILE | show IF | help }\n"
		"  %s trace { start | stop | status | help }\n"
		"  %s gen IF [OPTIONS]\n"
		"  %s stats [IF...] [--interval S] [--count N] [--prometheus FILE]\n"
		"  %s leaks [--watch S] [--count N] [--pages N]\n"
		"  %s help\n"
		"\n"
		"  PROG := { drop | pass | tx | redirect | fwd }\n"
		"  ACTION := { drop | pass | tx }\n"
		"\n"
		"OPTIONS (before COMMAND; -j, -p, -v also after it):\n"
		"  -j, --json        JSON output on stdout\n"
		"  -p, --pretty      indented JSON output (implies --json)\n"
		"  -v, --verbose     show libbpf's debug messages\n"
		"  -n, --netns NAME  act in network namespace /run/netns/NAME (like ip -n)\n"
		"  -h, --help        show this help\n"
		"  -V, --version     show the version\n"
		"\n"
		"'%s COMMAND --help' describes a command; see also ppxdp(8).\n",
		bin_name, bin_name, bin_name, bin_name, bin_name, bin_name,
		bin_name);
	return 0;
}

static int do_version(void)
{
	char libbpf[32];

	snprintf(libbpf, sizeof(libbpf), "%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "version", PPXDP_VERSION);
		jsonw_string_field(json_wtr, "libbpf_version", libbpf);
		jsonw_end_object(json_wtr);
	} else {
		printf("%s v%s\nusing libbpf v%s\n", bin_name, PPXDP_VERSION,
		       libbpf);
	}
	return 0;
}

static const struct cmd cmds[] = {
	{ "help",	do_help },
	{ "attach",	do_attach },
	{ "detach",	do_detach },
	{ "status",	do_status },
	{ "rules",	do_rules },
	{ "trace",	do_trace },
	{ "gen",	do_gen },
	{ "stats",	do_stats },
	{ "leaks",	do_leaks },
	{ NULL }
};

static const struct option long_options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ "pretty",	no_argument,		NULL, 'p' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "netns",	required_argument,	NULL, 'n' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL }
};

/* Global options up to the command name. */
static int parse_global_options(int argc, char **argv, const char **netns,
				bool *help, bool *version)
{
	int opt, err;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:jpvn:hV", long_options,
				  NULL)) >= 0) {
		switch (opt) {
		case 'j':
		case 'p':
			err = json_output_enable(opt == 'p');
			if (err)
				return err;
			break;
		case 'v':
			verbose_enable(true);
			break;
		case 'n':
			*netns = optarg;
			break;
		case 'h':
			*help = true;
			break;
		case 'V':
			*version = true;
			break;
		case ':':
			return p_usage_err("option %s needs a value",
					   argv[optind - 1]);
		default:
			if (optopt)
				return p_usage_err("unknown option '-%c': try '%s help'",
						   optopt, bin_name);
			return p_usage_err("unknown option '%s': try '%s help'",
					   argv[optind - 1], bin_name);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool help = false, version = false;
	const char *netns = NULL;
	int err;

	verbose_enable(false);
	err = parse_global_options(argc, argv, &netns, &help, &version);
	if (err)
		goto out;
	/* Like `ip -n`: everything else happens inside the namespace. */
	if (netns) {
		err = netns_enter(netns);
		if (err)
			goto out;
	}
	if (version)
		err = do_version();
	else if (help)
		err = do_help(0, NULL);
	else
		err = cmd_select(cmds, argc - optind, argv + optind, do_help);
out:
	if (json_wtr)
		jsonw_destroy(&json_wtr);
	if (!err)
		return 0;
	return usage_error ? 2 : 1;
}
