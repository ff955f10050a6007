package votacao.server.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import votacao.shared.ServerMessage;

/**
 * The results over HTTP, for the page at {@code /} and for anything else that wants them: the
 * snapshot as JSON, in the shape of the {@code parcial}/{@code final} broadcast, and the same
 * snapshots pushed as Server-Sent Events.
 */
@Path("/api/resultado")
public class ResultsResource {

    @Inject
    ResultsFeed feed;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<ServerMessage> current() {
        ServerMessage current = feed.current();
        return current == null ? RestResponse.status(Status.SERVICE_UNAVAILABLE) : RestResponse.ok(current);
    }

    /** Each event's data is one result, already encoded as JSON (so it is encoded once for every viewer). */
    @GET
    @Path("/eventos")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events() {
        return feed.stream();
    }
}
