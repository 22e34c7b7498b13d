// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal streaming JSON writer, same interface shape as bpftool's.
 *
 * Compact output has no blanks; pretty output indents by four spaces.
 * Every top-level value ends with a newline, so several documents written
 * to one stream form JSON Lines (ppxdp status --count N uses that).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

#define JSONW_MAX_DEPTH 64

struct json_writer {
	FILE *out;
	unsigned int depth;
	bool pretty;
	bool after_name;        /* a name was written, its value comes next */
	bool has_elem[JSONW_MAX_DEPTH]; /* container at this depth not empty */
	char closer[JSONW_MAX_DEPTH];   /* '}' or ']' */
};

static void jsonw_close(json_writer_t *self, char close);

json_writer_t *jsonw_new(FILE *f)
{
	json_writer_t *self = calloc(1, sizeof(*self));

	if (self)
		self->out = f;
	return self;
}

void jsonw_destroy(json_writer_t **self_p)
{
	json_writer_t *self = *self_p;

	if (!self)
		return;
	/* An unfinished document is closed so the output stays parseable. */
	self->after_name = false;
	while (self->depth)
		jsonw_close(self, self->closer[self->depth - 1]);
	fflush(self->out);
	free(self);
	*self_p = NULL;
}

void jsonw_pretty(json_writer_t *self, bool on)
{
	self->pretty = on;
}

static void jsonw_indent(json_writer_t *self)
{
	unsigned int i;

	if (!self->pretty)
		return;
	putc('\n', self->out);
	for (i = 0; i < self->depth; i++)
		fputs("    ", self->out);
}

/* Separator and indentation before a value or a name. */
static void jsonw_begin_elem(json_writer_t *self)
{
	if (self->after_name) {
		self->after_name = false;
		return;
	}
	if (!self->depth)
		return;
	if (self->has_elem[self->depth - 1])
		putc(',', self->out);
	self->has_elem[self->depth - 1] = true;
	jsonw_indent(self);
}

/* A complete top-level value ends its line. */
static void jsonw_end_value(json_writer_t *self)
{
	if (!self->depth) {
		putc('\n', self->out);
		fflush(self->out);
	}
}

static void jsonw_quoted(json_writer_t *self, const char *s)
{
	const unsigned char *p;

	putc('"', self->out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", self->out);
			break;
		case '\\':
			fputs("\\\\", self->out);
			break;
		case '\b':
			fputs("\\b", self->out);
			break;
		case '\f':
			fputs("\\f", self->out);
			break;
		case '\n':
			fputs("\\n", self->out);
			break;
		case '\r':
			fputs("\\r", self->out);
			break;
		case '\t':
			fputs("\\t", self->out);
			break;
		default:
			if (*p < 0x20)
				fprintf(self->out, "\\u%04x", *p);
			else
				putc(*p, self->out);
		}
	}
	putc('"', self->out);
}

/* Nesting deeper than JSONW_MAX_DEPTH is a programming error: ignored. */
static void jsonw_open(json_writer_t *self, char open, char close)
{
	if (self->depth == JSONW_MAX_DEPTH)
		return;
	jsonw_begin_elem(self);
	putc(open, self->out);
	self->has_elem[self->depth] = false;
	self->closer[self->depth] = close;
	self->depth++;
}

static void jsonw_close(json_writer_t *self, char close)
{
	if (!self->depth)
		return;
	self->depth--;
	if (self->has_elem[self->depth])
		jsonw_indent(self);
	putc(close, self->out);
	jsonw_end_value(self);
}

void jsonw_start_object(json_writer_t *self)
{
	jsonw_open(self, '{', '}');
}

void jsonw_end_object(json_writer_t *self)
{
	jsonw_close(self, '}');
}

void jsonw_start_array(json_writer_t *self)
{
	jsonw_open(self, '[', ']');
}

void jsonw_end_array(json_writer_t *self)
{
	jsonw_close(self, ']');
}

void jsonw_name(json_writer_t *self, const char *name)
{
	jsonw_begin_elem(self);
	jsonw_quoted(self, name);
	fputs(self->pretty ? ": " : ":", self->out);
	self->after_name = true;
}

void jsonw_string(json_writer_t *self, const char *value)
{
	jsonw_begin_elem(self);
	jsonw_quoted(self, value);
	jsonw_end_value(self);
}

void jsonw_uint(json_writer_t *self, uint64_t value)
{
	jsonw_begin_elem(self);
	fprintf(self->out, "%llu", (unsigned long long)value);
	jsonw_end_value(self);
}

void jsonw_int(json_writer_t *self, int64_t value)
{
	jsonw_begin_elem(self);
	fprintf(self->out, "%lld", (long long)value);
	jsonw_end_value(self);
}

/* Shortest of %.15g .. %.17g that reads back as the same double. */
void jsonw_float(json_writer_t *self, double value)
{
	char buf[32];
	int prec;

	if (!isfinite(value)) {
		jsonw_null(self);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, value);
		if (strtod(buf, NULL) == value)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", value);
	jsonw_begin_elem(self);
	fputs(buf, self->out);
	jsonw_end_value(self);
}

void jsonw_bool(json_writer_t *self, bool value)
{
	jsonw_begin_elem(self);
	fputs(value ? "true" : "false", self->out);
	jsonw_end_value(self);
}

void jsonw_null(json_writer_t *self)
{
	jsonw_begin_elem(self);
	fputs("null", self->out);
	jsonw_end_value(self);
}

void jsonw_string_field(json_writer_t *self, const char *prop, const char *val)
{
	jsonw_name(self, prop);
	jsonw_string(self, val);
}

void jsonw_uint_field(json_writer_t *self, const char *prop, uint64_t val)
{
	jsonw_name(self, prop);
	jsonw_uint(self, val);
}

void jsonw_int_field(json_writer_t *self, const char *prop, int64_t val)
{
	jsonw_name(self, prop);
	jsonw_int(self, val);
}

void jsonw_float_field(json_writer_t *self, const char *prop, double val)
{
	jsonw_name(self, prop);
	jsonw_float(self, val);
}

void jsonw_bool_field(json_writer_t *self, const char *prop, bool val)
{
	jsonw_name(self, prop);
	jsonw_bool(self, val);
}

void jsonw_null_field(json_writer_t *self, const char *prop)
{
	jsonw_name(self, prop);
	jsonw_null(self);
}
