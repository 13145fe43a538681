// Shim for librabbitmq (rabbitmq-c). Holds no logic: it picks the header layout of the installed
// version and wraps the variadic functions Swift cannot call.
#ifndef PIZZERIA_CRABBITMQ_SHIM_H
#define PIZZERIA_CRABBITMQ_SHIM_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#include <rabbitmq-c/framing.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>
#endif

/// `amqp_login` with PLAIN credentials (the C function is variadic).
static inline amqp_rpc_reply_t CRabbitMQ_login_plain(amqp_connection_state_t state,
                                                       const char *vhost,
                                                       int channel_max,
                                                       int frame_max,
                                                       int heartbeat,
                                                       const char *user,
                                                       const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                      AMQP_SASL_METHOD_PLAIN, user, password);
}

#endif
