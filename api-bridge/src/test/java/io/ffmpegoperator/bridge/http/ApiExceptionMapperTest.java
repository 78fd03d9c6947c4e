package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ApiExceptionMapperTest {
  private final ApiExceptionMapper mapper = new ApiExceptionMapper();

  @Test
  void unexpectedErrorsHideTheirMessage() {
    Response response = mapper.toResponse(new IllegalStateException("secret token abc"));

    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    assertThat(response.getEntity()).isEqualTo(new ErrorResponse("Internal Server Error"));
  }

  @Test
  void jaxRsErrorsUseFastApisWordsAndKeepTheirHeaders() {
    assertThat(mapper.toResponse(new NotFoundException("no route /x")).getEntity())
        .isEqualTo(new ErrorResponse("Not Found"));

    Response notAllowed =
        mapper.toResponse(new NotAllowedException("not allowed", "GET", new String[] {"HEAD"}));
    assertThat(notAllowed.getStatus()).isEqualTo(405);
    assertThat(notAllowed.getEntity()).isEqualTo(new ErrorResponse("Method Not Allowed"));
    assertThat(notAllowed.getHeaderString("Allow")).contains("GET");
  }

  @Test
  void apiErrorsKeepTheirStatusAndBody() {
    Response response = mapper.toResponse(ApiException.detail(404, "Task not found"));

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getEntity()).isEqualTo(new ErrorResponse("Task not found"));
  }
}
