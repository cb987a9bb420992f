/* Resolves argv[1] with getaddrinfo (AF_UNSPEC, no flags) and prints each distinct
 * address on its own line; exit 2 when it does not resolve. Built with musl-gcc so
 * the conformance test can watch musl's stub resolver. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

int main(int argc, char **argv) {
	struct addrinfo hints, *res, *p;
	char buf[INET6_ADDRSTRLEN];
	if (argc < 2) return 64;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(argv[1], NULL, &hints, &res);
	if (rc != 0) { printf("error %s\n", gai_strerror(rc)); return 2; }
	for (p = res; p; p = p->ai_next) {
		void *a = p->ai_family == AF_INET ? (void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr : (void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
		printf("%s\n", inet_ntop(p->ai_family, a, buf, sizeof buf));
	}
	freeaddrinfo(res);
	return 0;
}
