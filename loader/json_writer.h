/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal streaming JSON writer (same shape as bpftool's json_writer). */
#ifndef PPXDP_JSON_WRITER_H
#define PPXDP_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct json_writer json_writer_t;

json_writer_t *jsonw_new(FILE *f);
void jsonw_destroy(json_writer_t **self_p); /* flushes, adds final newline */
void jsonw_pretty(json_writer_t *self, bool on);

void jsonw_start_object(json_writer_t *self);
void jsonw_end_object(json_writer_t *self);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);
void jsonw_name(json_writer_t *self, const char *name);

void jsonw_string(json_writer_t *self, const char *value);
void jsonw_uint(json_writer_t *self, uint64_t value);
void jsonw_int(json_writer_t *self, int64_t value);
void jsonw_float(json_writer_t *self, double value); /* NaN/inf -> null */
void jsonw_bool(json_writer_t *self, bool value);
void jsonw_null(json_writer_t *self);

void jsonw_string_field(json_writer_t *self, const char *prop, const char *val);
void jsonw_uint_field(json_writer_t *self, const char *prop, uint64_t val);
void jsonw_int_field(json_writer_t *self, const char *prop, int64_t val);
void jsonw_float_field(json_writer_t *self, const char *prop, double val);
void jsonw_bool_field(json_writer_t *self, const char *prop, bool val);
void jsonw_null_field(json_writer_t *self, const char *prop);

#endif /* PPXDP_JSON_WRITER_H */
