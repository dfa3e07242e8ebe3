using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ScoreFeed.Web.Pages;

/// <summary>Not found and server errors, as a page.</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public void OnGet(int? status) => Status = status ?? StatusCodes.Status500InternalServerError;
}
