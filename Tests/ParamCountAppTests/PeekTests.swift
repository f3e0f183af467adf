import ParamCountApp
import Testing

@Test func peek() {
    var s = exampleState()
    press(&s, .down, .tab, .down)
    print(render(s).text)
    type(&s, "")
    press(&s, .enter)
    type(&s, "x")
    print(render(s).text)
}
