// SPDX-License-Identifier: GPL-2.0
/*
 * holdsock PORT BYTES: bind a UDP socket to PORT with a receive buffer of
 * BYTES (SO_RCVBUFFORCE) and never read it, so that every datagram it
 * queues keeps its page_pool pages in flight. Prints "ready", then waits
 * for SIGTERM/SIGINT and closes the socket (the pages go back).
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	done = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_signal };
	int fd, rcvbuf;

	if (argc != 3) {
		fprintf(stderr, "usage: holdsock PORT BYTES\n");
		return 2;
	}
	sin.sin_port = htons(atoi(argv[1]));
	rcvbuf = atoi(argv[2]);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				 sizeof(rcvbuf)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("holdsock");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!done)
		pause();
	close(fd);
	return 0;
}
